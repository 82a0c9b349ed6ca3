package io.keyfleet.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyfleet.identity.IdentityRejectedException.Reason;
import io.keyfleet.testing.TestSigner;
import io.keyfleet.testing.TestSigner.Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityVerifierTest {

    private static final Path SIGNER_PEM = TestSigner.TRUSTED.writeCertificate();
    private static final String US_EAST_1 = TestSigner.document("i-0123456789abcdef0", "us-east-1");

    private final IdentityVerifier verifier = new IdentityVerifier(config(true));

    @Test
    void verifiesADocumentSignedWithTheRegionsKeyAndReturnsItsFacts() throws Exception {
        Headers headers = TestSigner.TRUSTED.headers(US_EAST_1);
        InstanceIdentity identity = verifier.verify(headers.document(), headers.signature());
        assertEquals(new InstanceIdentity("123456789012", "us-east-1", "i-0123456789abcdef0", "ami-0abcdef1234567890",
                "us-east-1a", "t3.micro", Instant.parse("2026-11-20T08:00:00Z")), identity);
    }

    @Test
    void acceptsADetachedSignatureOverTheDocumentHeader() throws Exception {
        String detached = TestSigner.TRUSTED.sign(US_EAST_1, false);
        assertEquals("us-east-1", verifier.verify(TestSigner.base64(US_EAST_1), detached).region());
    }

    @Test
    void remembersAVerifiedIdentityByDigest() throws Exception {
        Headers headers = TestSigner.TRUSTED.headers(US_EAST_1);
        assertSame(verifier.verify(headers.document(), headers.signature()), verifier.verify(headers.document(), headers.signature()));
    }

    @Test
    void aDocumentOneByteOffFromTheSignedOneIsRefused() {
        Headers headers = TestSigner.TRUSTED.headers(US_EAST_1);
        String tampered = TestSigner.base64(US_EAST_1.replace("123456789012", "123456789013"));
        assertRejected(Reason.DOCUMENT_MISMATCH, tampered, headers.signature());

        String detached = TestSigner.TRUSTED.sign(US_EAST_1, false);
        assertRejected(Reason.SIGNATURE_NOT_TRUSTED, tampered, detached);
    }

    @Test
    void aSignatureOneByteOffIsRefused() {
        Headers headers = TestSigner.TRUSTED.headers(US_EAST_1);
        byte[] signature = Base64.getDecoder().decode(headers.signature());
        signature[signature.length - 10] ^= 0x01; // inside the RSA signature value at the end
        assertRejected(Reason.SIGNATURE_NOT_TRUSTED, headers.document(), Base64.getEncoder().encodeToString(signature));
    }

    @Test
    void aSignatureByAnUntrustedKeyIsRefused() {
        Headers forged = new TestSigner("attacker").headers(US_EAST_1);
        assertRejected(Reason.SIGNATURE_NOT_TRUSTED, forged.document(), forged.signature());
    }

    @Test
    void aKeyTrustedForOneRegionCannotSpeakForAnother() {
        Headers otherRegion = TestSigner.TRUSTED.headers(TestSigner.document("i-0123456789abcdef0", "eu-west-1"));
        assertRejected(Reason.SIGNATURE_NOT_TRUSTED, otherRegion.document(), otherRegion.signature());
    }

    @Test
    void aRegionWithoutAnyTrustedCertificateIsRefused() {
        Headers unknown = TestSigner.TRUSTED.headers(TestSigner.document("i-0123456789abcdef0", "ap-east-2"));
        assertRejected(Reason.REGION_NOT_TRUSTED, unknown.document(), unknown.signature());
    }

    @Test
    void bundlesAwsCertificatesForEveryPublishedRegionAndPartition() {
        TrustedSigners aws = TrustedSigners.load(config(false));
        assertEquals(36, aws.regionCount());
        for (String region : List.of("us-east-1", "eu-central-2", "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1",
                "ap-southeast-7", "mx-central-1", "il-central-1")) {
            assertEquals(1, aws.forRegion(region).size(), region);
        }
        assertEquals(2, TrustedSigners.load(config(true)).forRegion("us-east-1").size(), "AWS's key plus the extra one");
    }

    @Test
    void theDevModeDemoDocumentVerifiesWithTheDemoSigner() throws Exception {
        IdentityVerifier dev = new IdentityVerifier(config(Map.of("us-east-1", List.of(Path.of("dev/demo-signer.pem")))));
        String document = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("dev/demo-identity.json")));
        String signature = Files.readString(Path.of("dev/demo-identity.rsa2048")).replaceAll("\\s", "");
        assertEquals("i-0123456789abcdef0", dev.verify(document, signature).instanceId());
    }

    @Test
    void garbageHeadersAreRefusedWithAReason() {
        String signature = TestSigner.TRUSTED.headers(US_EAST_1).signature();
        String document = TestSigner.base64(US_EAST_1);
        assertRejected(Reason.MISSING, null, signature);
        assertRejected(Reason.MISSING, document, "");
        assertRejected(Reason.OVERSIZED, "A".repeat(IdentityVerifier.MAX_DOCUMENT_HEADER + 4), signature);
        assertRejected(Reason.OVERSIZED, document, "A".repeat(IdentityVerifier.MAX_SIGNATURE_HEADER + 4));
        assertRejected(Reason.BAD_ENCODING, "not base64!", signature);
        assertRejected(Reason.BAD_ENCODING, document, signature.substring(0, 100) + "\n" + signature.substring(100));
        assertRejected(Reason.BAD_DOCUMENT, TestSigner.base64("{not json"), signature);
        assertRejected(Reason.BAD_DOCUMENT, TestSigner.base64("[1,2]"), signature);
        assertRejected(Reason.BAD_SIGNATURE, document, TestSigner.base64("not a pkcs7 structure"));
    }

    @Test
    void documentsWhoseFieldsAreMalformedAreRefused() {
        for (String bad : List.of(
                US_EAST_1.replace("\"123456789012\"", "\"12345\""),
                US_EAST_1.replace("\"123456789012\"", "123456789012"),
                US_EAST_1.replace("i-0123456789abcdef0", "i-../../etc"),
                US_EAST_1.replace("ami-0abcdef1234567890", "ami-; rm"),
                US_EAST_1.replace("us-east-1a", "eu-west-1a"),
                US_EAST_1.replace("2026-11-20T08:00:00Z", "yesterday"),
                US_EAST_1.replace("\"region\" : \"us-east-1\",", ""))) {
            Headers signed = TestSigner.TRUSTED.headers(bad);
            assertRejected(Reason.BAD_DOCUMENT, signed.document(), signed.signature());
        }
    }

    private void assertRejected(Reason reason, String document, String signature) {
        IdentityRejectedException e = assertThrows(IdentityRejectedException.class, () -> verifier.verify(document, signature));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static IdentityConfig config(boolean withTestSigner) {
        return config(withTestSigner ? Map.of(TestSigner.TRUSTED_REGION, List.of(SIGNER_PEM)) : Map.of());
    }

    private static IdentityConfig config(Map<String, List<Path>> extra) {
        return new IdentityConfig() {
            @Override
            public Map<String, List<Path>> extraCertificates() {
                return extra;
            }

            @Override
            public boolean awsCertificates() {
                return true;
            }

            @Override
            public int cacheSize() {
                return 100;
            }
        };
    }
}
