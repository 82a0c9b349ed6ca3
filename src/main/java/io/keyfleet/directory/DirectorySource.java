package io.keyfleet.directory;

/** Where users, groups and keys come from: IAM in production, a YAML file for dev and small teams. */
public interface DirectorySource {

    /** A short name for logs, metrics and health: {@code iam} or {@code file}. */
    String name();

    /**
     * Reads the whole directory. Returns only when every page of every call succeeded; any failure
     * throws, so a partial crawl can never be mistaken for a complete one.
     */
    Crawl crawl() throws Exception;
}
