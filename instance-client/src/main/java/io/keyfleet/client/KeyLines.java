package io.keyfleet.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The last check before a line reaches sshd: an allowed key type first (so no options), base64
 * whose embedded type matches, an optional plain comment, nothing else. The broker checks the same;
 * the client does not take its word for it.
 */
final class KeyLines {

    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int MAX_BASE64 = 16 * 1024;
    private static final int MAX_COMMENT = 128;

    private KeyLines() {}

    static boolean isValid(String line) {
        int firstSpace = line.indexOf(' ');
        if (firstSpace < 0 || !TYPES.contains(line.substring(0, firstSpace))) {
            return false;
        }
        String type = line.substring(0, firstSpace);
        int secondSpace = line.indexOf(' ', firstSpace + 1);
        String base64 = secondSpace < 0 ? line.substring(firstSpace + 1) : line.substring(firstSpace + 1, secondSpace);
        if (secondSpace >= 0 && !isComment(line.substring(secondSpace + 1))) {
            return false;
        }
        if (base64.length() < 16 || base64.length() > MAX_BASE64) {
            return false;
        }
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            int length = blob.getInt();
            if (length <= 0 || length > blob.remaining()) {
                return false;
            }
            byte[] inner = new byte[length];
            blob.get(inner);
            return new String(inner, StandardCharsets.US_ASCII).equals(type);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** One word of printable ASCII: no spaces, no control characters. */
    private static boolean isComment(String comment) {
        if (comment.isEmpty() || comment.length() > MAX_COMMENT) {
            return false;
        }
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
