package io.keyfleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void everythingButTheBrokerHasADefault() throws Failure {
        ClientConfig config = ClientConfig.parse("test", "# comment\nbroker-url = https://keyfleet.internal:8443\n");
        assertEquals("keyfleet.internal", config.brokerUrl().getHost());
        assertEquals(Path.of("/etc/keyfleet/broker-ca.pem"), config.caBundle());
        assertEquals(Duration.ofHours(6), config.offlineMaxAge());
        assertEquals(ClientConfig.RemovalMode.LOCK, config.removalMode());
        assertEquals("keyfleet-users", config.markerGroup());
        assertEquals(2000, config.uidMin());
    }

    @Test
    void readsEveryKey() throws Failure {
        ClientConfig config = ClientConfig.parse("test", String.join("\n",
                "broker-url=https://b", "ca-bundle=/x/ca.pem", "connect-timeout=500ms", "request-timeout=2s",
                "imds-endpoint=http://127.0.0.1:1338", "cache-dir=/c", "state-dir=/s", "recent-answer-max-age=5s",
                "offline-max-age=1d", "removal-mode=delete", "removal-guard=3", "uid-min=5000", "uid-max=6000",
                "marker-group=kf", "shell=/bin/sh", "sudoers-file=/etc/sudoers.d/kf"));
        assertEquals(Duration.ofMillis(500), config.connectTimeout());
        assertEquals(Duration.ofDays(1), config.offlineMaxAge());
        assertEquals(ClientConfig.RemovalMode.DELETE, config.removalMode());
        assertEquals(3, config.removalGuard());
        assertEquals(6000, config.uidMax());
    }

    @Test
    void eachBadValueIsAnErrorThatNamesTheLine() {
        assertError("broker-url = http://plain\n", "test:1: broker-url: must be an https:// URL");
        assertError("", "'broker-url' must be set");
        assertError("broker-url = https://b\nconnect-timeout = soon\n", "test:2: connect-timeout: expected a duration");
        assertError("broker-url = https://b\nremoval-mode = shred\n", "test:2: removal-mode: must be 'lock' or 'delete'");
        assertError("broker-url = https://b\nuid-min = 10\n", "test:2: uid-min: must be between 1000");
        assertError("broker-url = https://b\nuid-min = 3000\nuid-max = 2500\n", "uid-max: must be above uid-min");
        assertError("broker-url = https://b\ncache-dir = relative\n", "cache-dir: must be an absolute path");
        assertError("broker-url = https://b\nmarker-group = Bad Group\n", "marker-group: not a valid group name");
        assertError("broker-url = https://b\nbrokr-url = x\n", "test:2: unknown key 'brokr-url'");
        assertError("broker-url = https://b\nbroker-url = https://c\n", "test:2: 'broker-url' is set twice");
        assertError("just words\n", "test:1: expected 'key = value'");
        assertError("broker-url = https://b\nrequest-timeout = 30s\n", "would hold sshd too long");
    }

    private static void assertError(String text, String expected) {
        Failure failure = assertThrows(Failure.class, () -> ClientConfig.parse("test", text));
        assertTrue(failure.getMessage().contains(expected), failure.getMessage());
        assertEquals(Failure.UNEXPECTED_STATE, failure.exitCode());
    }
}
