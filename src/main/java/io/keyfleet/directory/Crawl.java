package io.keyfleet.directory;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a {@link DirectorySource} read, complete and unvalidated: names and key bodies exactly as the
 * source returned them. Only a complete crawl is ever represented; a source that could not finish
 * throws instead.
 *
 * @param users every user that belongs to at least one crawled group
 * @param groups the names of the crawled groups, including empty ones
 */
public record Crawl(List<User> users, Set<String> groups) {

    /**
     * One IAM user with the crawled groups it belongs to and its Active keys; {@code created} is
     * IAM's creation date (null when the source has none), which orders claims on a fleet UID.
     */
    public record User(String userId, String userName, Instant created, Set<String> groups, List<Key> activeKeys) {}

    /** An Active SSH public key: its IAM id and its body in SSH encoding. */
    public record Key(String keyId, String body) {}
}
