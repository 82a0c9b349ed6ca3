package io.keyfleet.directory;

import io.keyfleet.LogSafe;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Accepts an SSH public key as IAM stores it ({@code type base64 [comment]}) only when it is safe
 * to hand to sshd: an allowed type, a blob that decodes and whose inner structure matches the outer
 * type, no options and no control characters. Anything else is refused with a {@link Rejection}
 * reason; the comment is never served (it is free text chosen by the uploader).
 */
public final class SshKeyParser {

    /** IAM accepts bodies up to 16 KiB; an RSA-16384 key is about 2.8 KiB of base64. */
    public static final int MAX_LINE_LENGTH = 16 * 1024;
    public static final int MIN_RSA_BITS = 2048;

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_]{1,128}");
    private static final Map<String, Integer> ECDSA_POINT_BYTES = Map.of(
            "nistp256", 65,
            "nistp384", 97,
            "nistp521", 133);

    /** Why a key was refused; the metric tag and the log say this. */
    public enum Rejection {
        EMPTY,
        /** The IAM key id is served as the comment, so it must be IAM's own [A-Za-z0-9_] shape. */
        BAD_KEY_ID,
        TOO_LONG,
        CONTROL_CHARACTER,
        /** The first token is not a key type we serve: options, or a type we do not allow. */
        OPTIONS_OR_UNSUPPORTED_TYPE,
        BAD_BASE64,
        TYPE_MISMATCH,
        MALFORMED_BLOB,
        RSA_TOO_SHORT;

        public String tag() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public static final class InvalidKeyException extends Exception {
        private final Rejection rejection;

        InvalidKeyException(Rejection rejection, String message) {
            super(message);
            this.rejection = rejection;
        }

        public Rejection rejection() {
            return rejection;
        }
    }

    private SshKeyParser() {}

    public static SshPublicKey parse(String keyId, String line) throws InvalidKeyException {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new InvalidKeyException(Rejection.BAD_KEY_ID, "key id " + LogSafe.quote(keyId) + " is not an IAM key id");
        }
        if (line == null || line.isBlank()) {
            throw new InvalidKeyException(Rejection.EMPTY, "empty key");
        }
        if (line.length() > MAX_LINE_LENGTH) {
            throw new InvalidKeyException(Rejection.TOO_LONG, "key longer than " + MAX_LINE_LENGTH + " characters");
        }
        String trimmed = line.strip();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidKeyException(Rejection.CONTROL_CHARACTER, "control character at offset " + i);
            }
        }
        String[] tokens = trimmed.split(" +", 3);
        String type = tokens[0];
        if (!isAllowedType(type)) {
            throw new InvalidKeyException(Rejection.OPTIONS_OR_UNSUPPORTED_TYPE, "not an allowed key type: " + LogSafe.quote(type));
        }
        if (tokens.length < 2) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "no key data after the type");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(tokens[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(Rejection.BAD_BASE64, "key data is not base64");
        }
        checkBlob(type, ByteBuffer.wrap(blob));
        return new SshPublicKey(keyId, type, tokens[1]);
    }

    static boolean isAllowedType(String type) {
        return switch (type) {
            case "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com" -> true;
            default -> false;
        };
    }

    /** Walks the RFC 4253 / PROTOCOL.u2f wire format of the key blob. */
    private static void checkBlob(String type, ByteBuffer in) throws InvalidKeyException {
        try {
            String inner = new String(readString(in), StandardCharsets.US_ASCII);
            if (!inner.equals(type)) {
                throw new InvalidKeyException(Rejection.TYPE_MISMATCH,
                        "key data says " + LogSafe.quote(inner) + ", line says " + type);
            }
            switch (type) {
                case "ssh-ed25519" -> expectLength(readString(in), 32, "ed25519 key");
                case "sk-ssh-ed25519@openssh.com" -> {
                    expectLength(readString(in), 32, "ed25519 key");
                    readApplication(in);
                }
                case "ssh-rsa" -> {
                    BigInteger exponent = new BigInteger(readString(in));
                    BigInteger modulus = new BigInteger(readString(in));
                    if (exponent.signum() <= 0 || modulus.signum() <= 0) {
                        throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "negative RSA parameter");
                    }
                    if (modulus.bitLength() < MIN_RSA_BITS) {
                        throw new InvalidKeyException(Rejection.RSA_TOO_SHORT,
                                "RSA key of " + modulus.bitLength() + " bits, at least " + MIN_RSA_BITS + " required");
                    }
                }
                case "sk-ecdsa-sha2-nistp256@openssh.com" -> {
                    readEcdsa(in, "nistp256");
                    readApplication(in);
                }
                default -> readEcdsa(in, type.substring("ecdsa-sha2-".length()));
            }
            if (in.hasRemaining()) {
                throw new InvalidKeyException(Rejection.MALFORMED_BLOB, in.remaining() + " trailing bytes in key data");
            }
        } catch (BufferUnderflowException e) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "key data is truncated");
        }
    }

    private static void readEcdsa(ByteBuffer in, String curve) throws InvalidKeyException {
        String innerCurve = new String(readString(in), StandardCharsets.US_ASCII);
        if (!innerCurve.equals(curve)) {
            throw new InvalidKeyException(Rejection.TYPE_MISMATCH, "curve " + LogSafe.quote(innerCurve) + " in a " + curve + " key");
        }
        byte[] point = readString(in);
        expectLength(point, ECDSA_POINT_BYTES.get(curve), "uncompressed " + curve + " point");
        if (point[0] != 0x04) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "ECDSA point is not uncompressed");
        }
    }

    private static void readApplication(ByteBuffer in) throws InvalidKeyException {
        String application = new String(readString(in), StandardCharsets.US_ASCII);
        if (!application.startsWith("ssh:")) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "security key application is not ssh:*");
        }
    }

    private static byte[] readString(ByteBuffer in) throws InvalidKeyException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, "field length " + length + " exceeds key data");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    private static void expectLength(byte[] value, int expected, String what) throws InvalidKeyException {
        if (value.length != expected) {
            throw new InvalidKeyException(Rejection.MALFORMED_BLOB, what + " of " + value.length + " bytes, expected " + expected);
        }
    }
}
