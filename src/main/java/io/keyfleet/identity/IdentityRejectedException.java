package io.keyfleet.identity;

/** The request's identity headers do not prove anything: always answered with 401. */
public class IdentityRejectedException extends Exception {

    /** Stable, machine-readable reasons; they appear in problem responses, logs and metrics. */
    public enum Reason {
        MISSING("identity-missing"),
        OVERSIZED("identity-oversized"),
        BAD_ENCODING("identity-bad-encoding"),
        BAD_DOCUMENT("identity-bad-document"),
        BAD_SIGNATURE("identity-bad-signature"),
        DOCUMENT_MISMATCH("identity-document-mismatch"),
        REGION_NOT_TRUSTED("identity-region-not-trusted"),
        SIGNATURE_NOT_TRUSTED("identity-signature-not-trusted");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public IdentityRejectedException(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
