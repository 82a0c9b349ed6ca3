package io.keyfleet.api;

/** The user does not exist or may not log in on this instance: both are 404, on purpose alike. */
public class UnknownUserException extends Exception {

    private final String reason;

    public UnknownUserException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** {@code unknown-user} or {@code user-not-allowed-here}, for the audit log only. */
    public String reason() {
        return reason;
    }
}
