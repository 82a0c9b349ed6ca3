package io.keyfleet.api;

/** The broker has no complete snapshot yet: answered with 503 so clients fall back to their cache. */
public class DirectoryNotReadyException extends Exception {

    public DirectoryNotReadyException() {
        super("the broker has not completed its first directory crawl", null, false, false);
    }
}
