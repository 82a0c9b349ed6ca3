package io.keyfleet.identity;

import io.keyfleet.testing.TestSigner;
import io.keyfleet.testing.TestSigner.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of verifying an identity document: cold (every document new to the cache), cached (a
 * repeat), and, as the baseline in the same run, one bare RSA-2048/SHA-256 signature check with the
 * JDK, the least any verifier must pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdentityVerificationBenchmark {

    private static final int DISTINCT = 1024;

    private IdentityVerifier cold;
    private IdentityVerifier cached;
    private Headers[] documents;
    private int next;
    private Signature rsa;
    private KeyPair rsaKeys;
    private byte[] message;
    private byte[] rsaSignature;

    @Setup
    public void setUp() throws Exception {
        Path pem = TestSigner.TRUSTED.writeCertificate();
        cold = new IdentityVerifier(config(pem, 1));
        cached = new IdentityVerifier(config(pem, 10_000));
        documents = new Headers[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            documents[i] = TestSigner.TRUSTED.headers(TestSigner.document(String.format("i-0%016x", i), "us-east-1"));
        }
        cached.verify(documents[0].document(), documents[0].signature());

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsaKeys = generator.generateKeyPair();
        message = TestSigner.document("i-0123456789abcdef0", "us-east-1").getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(rsaKeys.getPrivate());
        signer.update(message);
        rsaSignature = signer.sign();
        rsa = Signature.getInstance("SHA256withRSA");
    }

    @Benchmark
    public boolean baselineBareRsaVerify() throws Exception {
        rsa.initVerify(rsaKeys.getPublic());
        rsa.update(message);
        return rsa.verify(rsaSignature);
    }

    @Benchmark
    public InstanceIdentity coldVerification() throws Exception {
        Headers h = documents[next++ & (DISTINCT - 1)];
        return cold.verify(h.document(), h.signature());
    }

    @Benchmark
    public InstanceIdentity cachedVerification() throws Exception {
        return cached.verify(documents[0].document(), documents[0].signature());
    }

    private static IdentityConfig config(Path pem, int cacheSize) {
        return new IdentityConfig() {
            @Override
            public Map<String, List<Path>> extraCertificates() {
                return Map.of("us-east-1", List.of(pem));
            }

            @Override
            public boolean awsCertificates() {
                return true;
            }

            @Override
            public int cacheSize() {
                return cacheSize;
            }
        };
    }
}
