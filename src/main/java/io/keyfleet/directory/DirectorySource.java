package io.keyfleet.directory;

import java.util.Optional;

/** Where users, groups and keys come from: IAM in production, a YAML file for dev and small teams. */
public interface DirectorySource {

    /** A short name for logs, metrics and health: {@code iam} or {@code file}. */
    String name();

    /**
     * Reads the whole directory. Returns only when every page of every call succeeded; any failure
     * throws, so a partial crawl can never be mistaken for a complete one.
     */
    Crawl crawl() throws Exception;

    /**
     * Reads one user live, for revalidation at login: their groups (all of them; the caller keeps
     * the crawled ones) and Active keys. Empty when the user no longer exists.
     *
     * @param userId the id the snapshot knows the user by, kept in the answer
     */
    Optional<Crawl.User> readUser(String userId, String userName) throws Exception;
}
