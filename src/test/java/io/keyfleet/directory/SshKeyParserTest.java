package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyfleet.directory.SshKeyParser.InvalidKeyException;
import io.keyfleet.directory.SshKeyParser.Rejection;
import io.keyfleet.testing.TestKeys;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshKeyParserTest {

    private static final String KEY_ID = "APKAEXAMPLE000000001";

    @Test
    void servesEd25519WithTheKeyIdInPlaceOfTheUploadersComment() throws Exception {
        String line = TestKeys.ed25519("alice@laptop; rm -rf /");
        SshPublicKey key = SshKeyParser.parse(KEY_ID, line);
        assertEquals("ssh-ed25519", key.type());
        assertEquals(line.split(" ")[1], key.base64());
        assertEquals("ssh-ed25519 " + key.base64() + " " + KEY_ID, key.authorizedKeysLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nistp256", "nistp384", "nistp521"})
    void acceptsEveryEcdsaCurve(String curve) throws Exception {
        assertEquals("ecdsa-sha2-" + curve, SshKeyParser.parse(KEY_ID, TestKeys.ecdsa(curve, null)).type());
    }

    @Test
    void acceptsRsaOf2048BitsAndMore() throws Exception {
        assertEquals("ssh-rsa", SshKeyParser.parse(KEY_ID, TestKeys.rsa(2048, "x")).type());
        assertEquals("ssh-rsa", SshKeyParser.parse(KEY_ID, TestKeys.rsa(4096, "x")).type());
    }

    @Test
    void refusesRsaUnder2048Bits() {
        assertRejected(Rejection.RSA_TOO_SHORT, TestKeys.rsa(1024, "weak"));
    }

    @Test
    void acceptsSecurityKeys() throws Exception {
        String sk = "sk-ssh-ed25519@openssh.com";
        String ed = TestKeys.blob(sk).string(new byte[32]).string("ssh:".getBytes()).base64();
        assertEquals(sk, SshKeyParser.parse(KEY_ID, sk + " " + ed).type());

        String skEc = "sk-ecdsa-sha2-nistp256@openssh.com";
        byte[] point = new byte[65];
        point[0] = 4;
        String ec = TestKeys.blob(skEc).string("nistp256".getBytes()).string(point).string("ssh:".getBytes()).base64();
        assertEquals(skEc, SshKeyParser.parse(KEY_ID, skEc + " " + ec).type());
    }

    @Test
    void refusesOptionsInFrontOfTheKey() {
        assertRejected(Rejection.OPTIONS_OR_UNSUPPORTED_TYPE, "command=\"/bin/sh\" " + TestKeys.ed25519(null));
        assertRejected(Rejection.OPTIONS_OR_UNSUPPORTED_TYPE, "no-pty,from=\"*\" " + TestKeys.ed25519(null));
    }

    @Test
    void refusesTypesWeDoNotServe() {
        String dss = "ssh-dss " + TestKeys.blob("ssh-dss").string(new byte[128]).base64();
        assertRejected(Rejection.OPTIONS_OR_UNSUPPORTED_TYPE, dss);
    }

    @Test
    void refusesControlCharactersAnywhere() {
        String key = TestKeys.ed25519("c");
        assertRejected(Rejection.CONTROL_CHARACTER, key + "\n" + TestKeys.ed25519("second"));
        assertRejected(Rejection.CONTROL_CHARACTER, key.replace(" c", " \u0000c"));
        assertRejected(Rejection.CONTROL_CHARACTER, key.replace(" c", "\tc"));
    }

    @Test
    void toleratesTheTrailingNewlineOfAnUploadedFileButNeverServesIt() throws Exception {
        SshPublicKey key = SshKeyParser.parse(KEY_ID, TestKeys.ed25519("c") + "\r\n");
        assertEquals(-1, key.authorizedKeysLine().indexOf('\r'));
        assertEquals(-1, key.authorizedKeysLine().indexOf('\n'));
    }

    @Test
    void refusesHugeBodies() {
        assertRejected(Rejection.TOO_LONG, "ssh-rsa " + "A".repeat(SshKeyParser.MAX_LINE_LENGTH));
    }

    @Test
    void refusesBodiesThatAreNotBase64() {
        assertRejected(Rejection.BAD_BASE64, "ssh-ed25519 AAAA$$$$");
    }

    @Test
    void refusesABlobOfAnotherTypeThanTheLineSays() {
        String ed = TestKeys.ed25519(null).split(" ")[1];
        assertRejected(Rejection.TYPE_MISMATCH, "ssh-rsa " + ed);
        String p256 = TestKeys.ecdsa("nistp256", null).split(" ")[1];
        assertRejected(Rejection.TYPE_MISMATCH, "ecdsa-sha2-nistp384 " + p256);
    }

    @Test
    void refusesTruncatedPaddedOrMissingBlobs() {
        byte[] blob = Base64.getDecoder().decode(TestKeys.ed25519(null).split(" ")[1]);
        byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 5);
        assertRejected(Rejection.MALFORMED_BLOB, "ssh-ed25519 " + Base64.getEncoder().encodeToString(truncated));
        byte[] padded = java.util.Arrays.copyOf(blob, blob.length + 3);
        assertRejected(Rejection.MALFORMED_BLOB, "ssh-ed25519 " + Base64.getEncoder().encodeToString(padded));
        assertRejected(Rejection.MALFORMED_BLOB, "ssh-ed25519");
        String lying = TestKeys.blob("ssh-ed25519").raw(new byte[] {0x7f, 0, 0, 0}).base64();
        assertRejected(Rejection.MALFORMED_BLOB, "ssh-ed25519 " + lying);
    }

    @Test
    void refusesEmptyBodiesAndKeyIdsThatCouldInjectIntoTheLine() {
        assertRejected(Rejection.EMPTY, "  ");
        assertThrows(InvalidKeyException.class, () -> SshKeyParser.parse("APKA\nX", TestKeys.ed25519(null)));
        assertThrows(InvalidKeyException.class, () -> SshKeyParser.parse("APKA X", TestKeys.ed25519(null)));
    }

    private static void assertRejected(Rejection expected, String line) {
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> SshKeyParser.parse(KEY_ID, line));
        assertEquals(expected, e.rejection(), e.getMessage());
    }
}
