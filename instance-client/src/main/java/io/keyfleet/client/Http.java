package io.keyfleet.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One bounded HTTP exchange with HttpURLConnection (java.net.http would add most of a second to
 * every login's JVM start). Bodies are capped so a hostile peer cannot exhaust memory.
 */
final class Http {

    /** A status and a body, read in full. */
    record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (name.equalsIgnoreCase(e.getKey()) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    static final int MAX_BODY = 8 * 1024 * 1024;

    private Http() {}

    static Response exchange(String method, URI uri, Map<String, String> headers, Duration connectTimeout, Duration readTimeout,
            SSLSocketFactory tls) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            if (connection instanceof HttpsURLConnection https && tls != null) {
                https.setSSLSocketFactory(tls);
            }
            connection.setRequestMethod(method);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            headers.forEach(connection::setRequestProperty);
            if (method.equals("PUT")) {
                connection.setDoOutput(true);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = "";
            if (stream != null) {
                try (InputStream in = "gzip".equalsIgnoreCase(connection.getContentEncoding()) ? new GZIPInputStream(stream) : stream) {
                    body = readCapped(in);
                }
            }
            return new Response(status, body, connection.getHeaderFields());
        } finally {
            connection.disconnect();
        }
    }

    private static String readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BODY) {
                throw new IOException("answer larger than " + MAX_BODY + " bytes");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
