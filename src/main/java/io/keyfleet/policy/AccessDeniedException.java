package io.keyfleet.policy;

/** A proven instance that may not be served: answered with 403 and a stable reason. */
public class AccessDeniedException extends Exception {

    private final String reason;

    public AccessDeniedException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** {@code no-policy-matches} or {@code instance-not-running}. */
    public String reason() {
        return reason;
    }
}
