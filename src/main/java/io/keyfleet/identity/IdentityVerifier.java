package io.keyfleet.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keyfleet.identity.IdentityRejectedException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.jboss.logging.Logger;

/**
 * Verifies an EC2 instance identity document against its {@code /rsa2048} PKCS#7 signature, with the
 * trusted key of the region the document names, and returns the facts it proves.
 *
 * <p>The signature may carry the document inside it (what AWS does) or be detached. When it carries
 * one, those signed bytes must equal the document header byte for byte: what is verified is exactly
 * what is read. Successful verifications are cached by digest of both headers.
 */
@ApplicationScoped
public class IdentityVerifier {

    private static final Logger LOG = Logger.getLogger(IdentityVerifier.class);

    /** Real documents are about 500 bytes and signatures about 1.5 KiB: anything far larger is hostile. */
    static final int MAX_DOCUMENT_HEADER = 4 * 1024;
    static final int MAX_SIGNATURE_HEADER = 8 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern IMAGE = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final TrustedSigners signers;
    private final Cache<ByteBuffer, InstanceIdentity> verified;

    IdentityVerifier(IdentityConfig config) {
        this.signers = TrustedSigners.load(config);
        this.verified = Caffeine.newBuilder().maximumSize(config.cacheSize()).build();
        LOG.infof("Trusting identity signatures for %d regions", signers.regionCount());
    }

    public InstanceIdentity verify(String documentHeader, String signatureHeader) throws IdentityRejectedException {
        byte[] document = decode(documentHeader, MAX_DOCUMENT_HEADER, "document");
        byte[] signature = decode(signatureHeader, MAX_SIGNATURE_HEADER, "signature");
        ByteBuffer digest = digest(document, signature);
        InstanceIdentity known = verified.getIfPresent(digest);
        if (known != null) {
            return known;
        }
        InstanceIdentity identity = parseDocument(document);
        checkSignature(identity.region(), document, signature);
        verified.put(digest, identity);
        return identity;
    }

    private static byte[] decode(String header, int maxLength, String what) throws IdentityRejectedException {
        if (header == null || header.isEmpty()) {
            throw new IdentityRejectedException(Reason.MISSING, "no identity " + what + " header");
        }
        if (header.length() > maxLength) {
            throw new IdentityRejectedException(Reason.OVERSIZED, "identity " + what + " header of " + header.length()
                    + " characters, at most " + maxLength);
        }
        try {
            return Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw new IdentityRejectedException(Reason.BAD_ENCODING, "identity " + what + " header is not base64");
        }
    }

    static InstanceIdentity parseDocument(byte[] document) throws IdentityRejectedException {
        JsonNode json;
        try {
            json = JSON.readTree(document);
        } catch (IOException e) {
            throw new IdentityRejectedException(Reason.BAD_DOCUMENT, "identity document is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new IdentityRejectedException(Reason.BAD_DOCUMENT, "identity document is not a JSON object");
        }
        String region = field(json, "region", REGION);
        String zone = field(json, "availabilityZone", TEXT);
        if (!zone.startsWith(region)) {
            throw new IdentityRejectedException(Reason.BAD_DOCUMENT, "availabilityZone is not in the document's region");
        }
        Instant pendingTime;
        try {
            pendingTime = Instant.parse(field(json, "pendingTime", Pattern.compile("[0-9T:.Z-]{20,30}")));
        } catch (DateTimeParseException e) {
            throw new IdentityRejectedException(Reason.BAD_DOCUMENT, "pendingTime is not a timestamp");
        }
        return new InstanceIdentity(field(json, "accountId", ACCOUNT), region, field(json, "instanceId", INSTANCE),
                field(json, "imageId", IMAGE), zone, field(json, "instanceType", TEXT), pendingTime);
    }

    private static String field(JsonNode json, String name, Pattern shape) throws IdentityRejectedException {
        JsonNode value = json.get(name);
        if (value == null || !value.isTextual() || !shape.matcher(value.asText()).matches()) {
            throw new IdentityRejectedException(Reason.BAD_DOCUMENT, "identity document field " + name + " is missing or malformed");
        }
        return value.asText();
    }

    private void checkSignature(String region, byte[] document, byte[] signature) throws IdentityRejectedException {
        Collection<SignerInformationVerifier> keys = signers.forRegion(region);
        if (keys.isEmpty()) {
            throw new IdentityRejectedException(Reason.REGION_NOT_TRUSTED, "no trusted signer for region " + region);
        }
        SignerInformation signer = soleSigner(document, signature);
        if (!NISTObjectIdentifiers.id_sha256.getId().equals(signer.getDigestAlgOID())) {
            throw new IdentityRejectedException(Reason.BAD_SIGNATURE, "signature digest is not SHA-256");
        }
        for (SignerInformationVerifier key : keys) {
            try {
                if (signer.verify(key)) {
                    return;
                }
            } catch (CMSException e) {
                // Not this key: try the next one.
            }
        }
        throw new IdentityRejectedException(Reason.SIGNATURE_NOT_TRUSTED, "signature does not verify with the trusted key of " + region);
    }

    private static SignerInformation soleSigner(byte[] document, byte[] signature) throws IdentityRejectedException {
        try {
            CMSSignedData signed = new CMSSignedData(signature);
            if (signed.getSignedContent() == null) {
                signed = new CMSSignedData(new CMSProcessableByteArray(document), signature);
            } else if (!Arrays.equals(document, (byte[]) signed.getSignedContent().getContent())) {
                throw new IdentityRejectedException(Reason.DOCUMENT_MISMATCH, "the signed document differs from the document header");
            }
            Collection<SignerInformation> signerInfos = signed.getSignerInfos().getSigners();
            if (signerInfos.size() != 1) {
                throw new IdentityRejectedException(Reason.BAD_SIGNATURE, "signature has " + signerInfos.size() + " signers, expected 1");
            }
            return signerInfos.iterator().next();
        } catch (CMSException | RuntimeException e) {
            throw new IdentityRejectedException(Reason.BAD_SIGNATURE, "signature is not a PKCS#7 SignedData");
        }
    }

    private static ByteBuffer digest(byte[] document, byte[] signature) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            // Length first, so no split of the same bytes between the two headers hashes alike.
            sha256.update(ByteBuffer.allocate(4).putInt(0, document.length));
            sha256.update(document);
            sha256.update(signature);
            return ByteBuffer.wrap(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
