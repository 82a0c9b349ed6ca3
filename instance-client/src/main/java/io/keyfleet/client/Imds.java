package io.keyfleet.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** IMDSv2 only: a session token first, then the identity document and its /rsa2048 signature. */
final class Imds {

    /** The two identity headers, ready to send. */
    record Identity(String document, String signature, String instanceId) {}

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final int ATTEMPTS = 2;

    private final URI endpoint;

    Imds(URI endpoint) {
        this.endpoint = endpoint;
    }

    Identity identity(Deadline deadline) throws Failure {
        String token = call("PUT", "/latest/api/token", Map.of("X-aws-ec2-metadata-token-ttl-seconds", "300"), deadline);
        Map<String, String> auth = Map.of("X-aws-ec2-metadata-token", token);
        String document = call("GET", "/latest/dynamic/instance-identity/document", auth, deadline);
        String signature = withoutWhitespace(call("GET", "/latest/dynamic/instance-identity/rsa2048", auth, deadline));
        String instanceId;
        try {
            Object parsed = Json.parse(document);
            instanceId = parsed instanceof Map<?, ?> m && m.get("instanceId") instanceof String s ? s : null;
        } catch (Json.ParseException e) {
            instanceId = null;
        }
        if (instanceId == null) {
            throw new Failure(Failure.UNEXPECTED_STATE, "IMDS identity document has no instanceId");
        }
        return new Identity(Base64.getEncoder().encodeToString(document.getBytes(StandardCharsets.UTF_8)), signature, instanceId);
    }

    /** IMDS wraps the base64 signature at 64 columns; the header carries it on one line. */
    private static String withoutWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private String call(String method, String path, Map<String, String> headers, Deadline deadline) throws Failure {
        IOException last = new IOException("no time left");
        for (int attempt = 1; attempt <= ATTEMPTS && !deadline.expired(); attempt++) {
            try {
                Http.Response response = Http.exchange(method, endpoint.resolve(path), headers, deadline.cap(TIMEOUT),
                        deadline.cap(TIMEOUT), null);
                if (response.status() == 200) {
                    return response.body();
                }
                last = new IOException("HTTP " + response.status());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new Failure(Failure.UNEXPECTED_STATE, "IMDS " + path + " failed: " + last.getMessage());
    }
}
