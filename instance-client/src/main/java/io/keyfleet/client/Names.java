package io.keyfleet.client;

/**
 * Shape checks for names and ids, and safe rendering of untrusted text, written out by hand: the first use of java.util.regex costs about
 * 6 ms of a JVM start, and this JVM starts on every SSH login.
 */
final class Names {

    private Names() {}

    /** A Linux name as Keyfleet gives them: a lower-case letter, then {@code [a-z0-9._-]}, 32 at most. */
    static boolean isLocalName(String s) {
        return s != null && !s.isEmpty() && s.length() <= 32 && isLower(s.charAt(0)) && all(s, "._-");
    }

    /** A Linux group name: a lower-case letter or {@code _}, then {@code [a-z0-9_-]}, 32 at most. */
    static boolean isGroupName(String s) {
        return s != null && !s.isEmpty() && s.length() <= 32 && (isLower(s.charAt(0)) || s.charAt(0) == '_') && all(s, "_-");
    }

    /** An IAM user name: {@code [A-Za-z0-9+=,.@_-]}, 1 to 64. */
    static boolean isIamName(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLower(c) || isUpper(c) || isDigit(c) || "+=,.@_-".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** An IAM id such as AIDA…: upper-case letters and digits. */
    static boolean isIamId(String s) {
        if (s == null || s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!(isUpper(s.charAt(i)) || isDigit(s.charAt(i)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(String s, String extra) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLower(c) || isDigit(c) || extra.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Untrusted text for a message: printable ASCII only, cut to a readable length. */
    static String printable(String s) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < s.length() && p.length() < 40; i++) {
            char c = s.charAt(i);
            p.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 40 ? p + "…" : p.toString();
    }
}
