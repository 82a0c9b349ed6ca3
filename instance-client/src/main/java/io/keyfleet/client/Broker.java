package io.keyfleet.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The broker's /v1 API over HTTPS, trusting only the configured CA bundle, with the instance's
 * identity on every request.
 */
final class Broker {

    static final String DOCUMENT_HEADER = "X-Keyfleet-Identity-Document";
    static final String SIGNATURE_HEADER = "X-Keyfleet-Identity-Signature";

    private final ClientConfig config;
    private SSLSocketFactory tls;

    Broker(ClientConfig config) {
        this.config = config;
    }

    Http.Response get(String path, Imds.Identity identity, Map<String, String> extraHeaders, Deadline deadline) throws IOException {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put(DOCUMENT_HEADER, identity.document());
        headers.put(SIGNATURE_HEADER, identity.signature());
        headers.put("Accept-Encoding", "gzip");
        URI base = config.brokerUrl();
        URI uri = base.resolve((base.getPath().endsWith("/") ? "" : base.getPath() + "/") + path);
        return Http.exchange("GET", uri, headers, deadline.cap(config.connectTimeout()), deadline.cap(config.requestTimeout()), tls());
    }

    private SSLSocketFactory tls() throws IOException {
        if (tls == null) {
            try (InputStream in = Files.newInputStream(config.caBundle())) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int n = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca" + n++, certificate);
                }
                if (n == 0) {
                    throw new IOException(config.caBundle() + " holds no certificate");
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trusted);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                tls = context.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot use CA bundle " + config.caBundle() + ": " + e.getMessage(), e);
            }
        }
        return tls;
    }
}
