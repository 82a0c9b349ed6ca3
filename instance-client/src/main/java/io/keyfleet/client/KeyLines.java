package io.keyfleet.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The last check before a line reaches sshd: an allowed key type first (so no options), base64
 * whose embedded type matches, an optional plain comment, nothing else. The broker checks the same;
 * the client does not take its word for it.
 */
final class KeyLines {

    private static final Pattern LINE = Pattern.compile(
            "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)"
                    + " ([A-Za-z0-9+/]{16,16384}={0,2})( [\\x21-\\x7e]{1,128})?");

    private KeyLines() {}

    static boolean isValid(String line) {
        var m = LINE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(m.group(2)));
            int length = blob.getInt();
            if (length <= 0 || length > blob.remaining()) {
                return false;
            }
            byte[] type = new byte[length];
            blob.get(type);
            return new String(type, StandardCharsets.US_ASCII).equals(m.group(1));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
