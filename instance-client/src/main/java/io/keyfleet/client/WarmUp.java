package io.keyfleet.client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * {@code keyfleet warm-up}: runs what a login runs — a cached answer, then a broker that refuses
 * the connection and the offline fallback — in a scratch directory, so {@code install} can record
 * every class and lambda involved in a class-data-sharing archive and later logins start faster.
 */
final class WarmUp {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC9aUl2fuwnQthu0VJaGg6V36zLX85XWrvoaCuCG+RFQ APKA1";

    private WarmUp() {}

    static int run() throws Exception {
        Path scratch = Files.createTempDirectory("keyfleet-warm-up");
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        try {
            Store.write(scratch.resolve("cache/answers/warmup"), "allowed\n" + KEY + "\n", "rw-------");
            Store.write(scratch.resolve("cache/identity"), "e30=\nAAAA\ni-00000000\n", "rw-------");
            // Port 9 (discard) on loopback refuses at once, after the HTTPS classes have loaded.
            for (String recent : new String[] {"1d", "0s"}) {
                ClientConfig config = ClientConfig.parse("warm-up", "broker-url = https://127.0.0.1:9\nimds-endpoint = http://127.0.0.1:9\n"
                        + "cache-dir = " + scratch.resolve("cache") + "\nstate-dir = " + scratch.resolve("state") + "\n"
                        + "recent-answer-max-age = " + recent + "\n");
                new AuthorizedKeysCommand(config, Clock.systemUTC(), discard, discard).run("warmup");
            }
            Roster.parse("{\"users\":[{\"iamName\":\"a\",\"iamUserId\":\"AIDA1\",\"localName\":\"a\",\"sudo\":false,"
                    + "\"localGroups\":[],\"keys\":[\"" + KEY + "\"]}]}");
            try {
                Http.exchange("GET", URI.create("https://127.0.0.1:9/"), Map.of(), Duration.ofMillis(100), Duration.ofMillis(100),
                        SSLContext.getDefault().getSocketFactory());
            } catch (IOException expected) {
                // The point was loading the classes.
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
