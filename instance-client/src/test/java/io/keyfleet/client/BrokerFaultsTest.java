package io.keyfleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker failing in every way seen from an instance: the client never holds sshd past its
 * bound, never prints a line it cannot trust, falls back to its cache only while it is fresh
 * enough, never changes accounts, and says so in status.
 */
class BrokerFaultsTest {

    static final String KEY = RosterTest.ED25519;
    /** AuthorizedKeysCommand.BUDGET plus room for a JVM on a busy CI machine: a hang guard, not a benchmark. */
    static final Duration HANG_GUARD = AuthorizedKeysCommand.BUDGET.plus(Duration.ofSeconds(3));

    static Path certs;
    static FakeBroker broker;
    static FakeBroker strangerBroker;

    @TempDir
    Path dir;

    String brokerUrl;

    @BeforeAll
    static void brokers() throws Exception {
        certs = Files.createTempDirectory("keyfleet-client-certs");
        FakeBroker.makeCertificate(certs.resolve("broker.p12"), certs.resolve("broker.pem"));
        FakeBroker.makeCertificate(certs.resolve("stranger.p12"), certs.resolve("stranger.pem"));
        broker = new FakeBroker(certs.resolve("broker.p12"));
        strangerBroker = new FakeBroker(certs.resolve("stranger.p12"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        strangerBroker.close();
        try (var files = Files.walk(certs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void instance() throws Exception {
        brokerUrl = broker.url();
        for (String sub : new String[] {"cache", "state"}) {
            Store.write(dir.resolve(sub).resolve("identity"), "e30=\nAAAA\ni-0abc\n", "rw-------");
        }
        broker.answer(200, KEY + "\n");
    }

    @Test
    void aHealthyBrokerIsAskedAndItsAnswerKept() throws Exception {
        Run run = keys("alice");
        assertEquals(0, run.exit, run.err);
        assertEquals(KEY + "\n", run.out);
        assertTrue(Files.readString(dir.resolve("cache/answers/alice")).startsWith("allowed\n"));
    }

    @Test
    void aBrokerErrorFallsBackToAFreshCacheAndFailsClosedWithout() throws Exception {
        broker.answer(500, "oops");
        Run cold = keys("alice");
        assertEquals(Failure.UNEXPECTED_STATE, cold.exit);
        assertEquals("", cold.out, "nothing for sshd without a fresh answer");

        broker.answer(200, KEY + "\n");
        assertEquals(0, keys("alice").exit);
        broker.answer(500, "oops");
        Run warm = keys("alice");
        assertEquals(0, warm.exit);
        assertEquals(KEY + "\n", warm.out);
        assertTrue(warm.err.contains("broker unavailable"), warm.err);

        Files.setLastModifiedTime(dir.resolve("cache/answers/alice"), FileTime.from(Instant.now().minus(Duration.ofHours(7))));
        Run stale = keys("alice");
        assertEquals(Failure.UNEXPECTED_STATE, stale.exit);
        assertEquals("", stale.out, "past offline-max-age the cache is not trusted");
    }

    @Test
    void anAnswerThatIsNotPlainKeysIsNeverPrinted() throws Exception {
        for (String garbage : List.of("command=\"/bin/sh\" " + KEY + "\n", KEY + "\nno-pty " + KEY + "\n", "<html>oops</html>",
                KEY.replace("APKA1", "APKA1 extra words") + "\n", "\u0000\u0001")) {
            broker.answer(200, garbage);
            Run run = keys("alice");
            assertEquals("", run.out, garbage);
            assertEquals(Failure.UNEXPECTED_STATE, run.exit);
        }
    }

    @Test
    void anAnswerForAnotherInstanceIsRefused() throws Exception {
        broker.answer(new FakeBroker.Answer(200, KEY + "\n", "i-0someoneelse", Duration.ZERO));
        Run run = keys("alice");
        assertEquals("", run.out);
        assertTrue(run.err.contains("answered for instance i-0someoneelse"), run.err);
        broker.answer(new FakeBroker.Answer(200, KEY + "\n", null, Duration.ZERO));
        assertEquals("", keys("alice").out, "an answer that names no instance is refused too");
    }

    @Test
    void aBrokerWhoseCertificateIsNotInTheBundleIsNotTalkedTo() throws Exception {
        strangerBroker.answer(200, KEY + "\n");
        brokerUrl = strangerBroker.url();
        Run run = keys("alice");
        assertEquals("", run.out);
        assertTrue(run.err.contains("PKIX") || run.err.contains("certificate"), run.err);
    }

    @Test
    void aBlackHoledOrSlowBrokerNeverHoldsSshdPastTheBound() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(blackHole.accept()); // and never answer
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.start();
            brokerUrl = "https://127.0.0.1:" + blackHole.getLocalPort();
            Run run = assertTimeoutPreemptively(HANG_GUARD, () -> keys("alice"));
            assertEquals("", run.out);
        }
        brokerUrl = broker.url();
        broker.answer(new FakeBroker.Answer(200, KEY + "\n", "i-0abc", Duration.ofSeconds(20)));
        Run slow = assertTimeoutPreemptively(HANG_GUARD, () -> keys("alice"));
        assertEquals("", slow.out);
        broker.answer(200, KEY + "\n");
    }

    @Test
    void aUserTheBrokerRefusesGetsNoKeyOnlineOrOffline() throws Exception {
        broker.answer(404, "{\"reason\":\"unknown-user\"}");
        Run run = keys("mallory");
        assertEquals(0, run.exit);
        assertEquals("", run.out);
        broker.answer(500, "");
        assertEquals("", keys("mallory").out, "the cached refusal stays a refusal");
    }

    @Test
    void syncChangesNothingWhenTheBrokerFailsOrLiesAndStatusSaysSo() throws Exception {
        for (String[] answer : new String[][] {{"500", "oops"}, {"200", "{\"users\":[{\"localName\":\"../root\"}]}"},
                {"200", "{\"users\":[]} trailing"}}) {
            broker.answer(Integer.parseInt(answer[0]), answer[1]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // /nonexistent as /etc: reaching account handling at all would fail differently.
            Failure failure = org.junit.jupiter.api.Assertions.assertThrows(Failure.class, () ->
                    new SyncCommand(config(), Path.of("/nonexistent"), java.time.Clock.systemUTC(), new PrintStream(out)).run(false, false));
            assertTrue(failure.getMessage().contains("nothing changed"), failure.getMessage());
        }
        assertTrue(Files.readString(dir.resolve("state/last-sync")).contains("failed: "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = new StatusCommand(config(), java.time.Clock.systemUTC(), new PrintStream(out)).run();
        assertEquals(Failure.UNEXPECTED_STATE, status);
        assertTrue(out.toString().contains("status:      DEGRADED"), out.toString());
    }

    record Run(int exit, String out, String err) {}

    private Run keys(String user) throws Exception {
        Path conf = dir.resolve("client.conf");
        Files.writeString(conf, configText());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"--config", conf.toString(), "authorized-keys", user},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private ClientConfig config() throws Failure {
        return ClientConfig.parse("test", configText());
    }

    private String configText() {
        return String.join("\n", "broker-url = " + brokerUrl, "ca-bundle = " + certs.resolve("broker.pem"),
                "imds-endpoint = http://127.0.0.1:9", "cache-dir = " + dir.resolve("cache"), "state-dir = " + dir.resolve("state"),
                "recent-answer-max-age = 0s", "connect-timeout = 1s", "request-timeout = 2s", "");
    }
}
