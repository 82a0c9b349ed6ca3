package io.keyfleet.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A test CA that signs instance identity documents the way AWS does: RSA-2048, SHA-256, PKCS#7
 * SignedData with the document inside (or detached, which the broker also accepts).
 */
public final class TestSigner {

    /** Trusted for {@link #TRUSTED_REGION} by every test broker (see {@link IamEmulatorResource}). */
    public static final TestSigner TRUSTED = new TestSigner("Keyfleet test signer");
    public static final String TRUSTED_REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private final KeyPair keys;
    private final X509Certificate certificate;

    public TestSigner(String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            ContentSigner self = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), subject, keys.getPublic()).build(self));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signer's certificate as a PEM file in a fresh temporary directory. */
    public Path writeCertificate() {
        try {
            Path file = Files.createTempDirectory("keyfleet-signer").resolve("signer.pem");
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base64 PKCS#7 of the document, as {@code /rsa2048} serves it but without line breaks. */
    public String sign(String document, boolean attached) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), certificate));
            generator.addCertificates(new JcaCertStore(List.of(certificate)));
            byte[] der = generator.generate(new CMSProcessableByteArray(document.getBytes(StandardCharsets.UTF_8)), attached).getEncoded();
            return Base64.getEncoder().encodeToString(der);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both identity headers for a document signed with the content attached, as AWS does. */
    public Headers headers(String document) {
        return new Headers(base64(document), sign(document, true));
    }

    public record Headers(String document, String signature) {}

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An identity document shaped like AWS's, for an instance of {@link #ACCOUNT} in {@code region}. */
    public static String document(String instanceId, String region) {
        return document(ACCOUNT, region, instanceId, "ami-0abcdef1234567890");
    }

    public static String document(String accountId, String region, String instanceId, String imageId) {
        return """
                {
                  "accountId" : "%s",
                  "architecture" : "x86_64",
                  "availabilityZone" : "%sa",
                  "billingProducts" : null,
                  "devpayProductCodes" : null,
                  "marketplaceProductCodes" : null,
                  "imageId" : "%s",
                  "instanceId" : "%s",
                  "instanceType" : "t3.micro",
                  "kernelId" : null,
                  "pendingTime" : "2026-11-20T08:00:00Z",
                  "privateIp" : "10.0.1.23",
                  "ramdiskId" : null,
                  "region" : "%s",
                  "version" : "2017-09-30"
                }""".formatted(accountId, region, imageId, instanceId, region);
    }
}
