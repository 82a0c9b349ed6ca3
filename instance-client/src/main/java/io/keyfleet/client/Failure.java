package io.keyfleet.client;

/** The one exception the client throws on purpose: a message for people and the exit code it means. */
final class Failure extends Exception {

    /** Bad command line. */
    static final int USAGE = 2;
    /** The world is not as it must be: bad config, broker unreachable with nothing cached, a refused plan. */
    static final int UNEXPECTED_STATE = 3;
    /** A bug. */
    static final int INTERNAL = 4;

    private final int exitCode;

    Failure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    Failure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
