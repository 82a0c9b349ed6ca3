package io.keyfleet.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * {@code keyfleet warm-up}: walks the classes a login uses (config, JSON, key checks, files, TLS,
 * HTTP) without needing a broker, so {@code install} can record them in a class-data-sharing
 * archive and every later login starts faster.
 */
final class WarmUp {

    private WarmUp() {}

    static int run() throws Exception {
        ClientConfig.parse("warm-up", InstallCommand.CONFIG_TEMPLATE);
        Roster.parse("{\"users\":[{\"iamName\":\"a\",\"iamUserId\":\"AIDA1\",\"localName\":\"a\",\"sudo\":false,\"localGroups\":[],"
                + "\"keys\":[\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC9aUl2fuwnQthu0VJaGg6V36zLX85XWrvoaCuCG+RFQ APKA1\"]}]}");
        Store.read(Path.of("/nonexistent/keyfleet-warm-up"), Instant.now());
        SSLContext.getDefault().getSocketFactory();
        Deadline deadline = Deadline.in(Duration.ofMillis(200));
        try {
            // Port 9 (discard) on loopback: refused at once, after the HTTPS classes have loaded.
            Http.exchange("GET", URI.create("https://127.0.0.1:9/"), Map.of("X", "y"), deadline.cap(Duration.ofMillis(100)),
                    deadline.cap(Duration.ofMillis(100)), SSLContext.getDefault().getSocketFactory());
        } catch (IOException expected) {
            // The point was loading the classes.
        }
        return 0;
    }
}
