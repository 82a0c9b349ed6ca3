package io.keyfleet;

/** Renders untrusted text (IAM names, key material, request headers) safely for a log line. */
public final class LogSafe {

    private static final int MAX_SHOWN = 40;

    private LogSafe() {}

    /** Quoted, non-printable characters as {@code ?}, cut to a readable length. */
    public static String quote(String untrusted) {
        if (untrusted == null) {
            return "null";
        }
        String printable = untrusted.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= MAX_SHOWN
                ? '"' + printable + '"'
                : '"' + printable.substring(0, MAX_SHOWN) + "…\" (" + untrusted.length() + " chars)";
    }
}
