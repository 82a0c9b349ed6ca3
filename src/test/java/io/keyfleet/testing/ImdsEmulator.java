package io.keyfleet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The instance metadata service on loopback, IMDSv2 only: a PUT for a token, then the identity
 * document and its /rsa2048 signature (wrapped at 64 columns, as AWS serves it) for that token.
 */
public final class ImdsEmulator implements AutoCloseable {

    private final HttpServer server;
    private final String token = UUID.randomUUID().toString();
    private final String document;
    private final String signature;

    public ImdsEmulator(String document, String signatureBase64) throws IOException {
        this.document = document;
        this.signature = signatureBase64.replaceAll("(.{64})", "$1\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("PUT") && path.equals("/latest/api/token")
                    && exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") != null) {
                respond(exchange, 200, token);
            } else if (!token.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
                respond(exchange, 401, ""); // IMDSv1 is refused, as on instances that require v2
            } else if (path.equals("/latest/dynamic/instance-identity/document")) {
                respond(exchange, 200, document);
            } else if (path.equals("/latest/dynamic/instance-identity/rsa2048")) {
                respond(exchange, 200, signature);
            } else {
                respond(exchange, 404, "");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
