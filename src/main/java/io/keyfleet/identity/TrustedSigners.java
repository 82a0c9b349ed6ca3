package io.keyfleet.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The public keys allowed to sign identity documents, by region, each ready as a CMS verifier (built
 * once: building one costs more than the RSA check itself). Only keys are kept: AWS re-issued its
 * certificates with the same keys after older copies expired, so validity dates prove nothing.
 */
final class TrustedSigners {

    private static final String BUNDLE = "aws-identity-certs/";

    private final Map<String, List<SignerInformationVerifier>> keysByRegion;

    private TrustedSigners(Map<String, List<SignerInformationVerifier>> keysByRegion) {
        this.keysByRegion = keysByRegion;
    }

    static TrustedSigners load(IdentityConfig config) {
        Map<String, List<PublicKey>> keys = new HashMap<>();
        if (config.awsCertificates()) {
            for (String region : bundledRegions()) {
                keys.computeIfAbsent(region, r -> new ArrayList<>()).add(readBundled(region));
            }
        }
        config.extraCertificates().forEach((region, files) -> {
            for (Path file : files) {
                keys.computeIfAbsent(region, r -> new ArrayList<>()).add(readFile(region, file));
            }
        });
        Map<String, List<SignerInformationVerifier>> frozen = new HashMap<>();
        keys.forEach((region, list) -> frozen.put(region, list.stream().map(TrustedSigners::verifier).toList()));
        return new TrustedSigners(Map.copyOf(frozen));
    }

    List<SignerInformationVerifier> forRegion(String region) {
        return keysByRegion.getOrDefault(region, List.of());
    }

    int regionCount() {
        return keysByRegion.size();
    }

    private static SignerInformationVerifier verifier(PublicKey key) {
        try {
            return new JcaSimpleSignerInfoVerifierBuilder().build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot build a verifier for a trusted key", e);
        }
    }

    private static List<String> bundledRegions() {
        try (InputStream in = resource(BUNDLE + "regions.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PublicKey readBundled(String region) {
        try (InputStream in = resource(BUNDLE + "rsa2048-" + region + ".pem")) {
            return certificate(in).getPublicKey();
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("bundled AWS certificate for " + region + " is unreadable", e);
        }
    }

    private static PublicKey readFile(String region, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return certificate(in).getPublicKey();
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("keyfleet.identity.extra-certificates.\"" + region + "\": cannot read a PEM certificate from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(InputStream pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TrustedSigners.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing resource " + name);
        }
        return in;
    }
}
