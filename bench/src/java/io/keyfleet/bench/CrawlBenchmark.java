package io.keyfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.Directory;
import io.keyfleet.testing.IamEmulator;
import io.keyfleet.testing.IamEmulatorResource;
import io.keyfleet.testing.InjectIamEmulator;
import io.keyfleet.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Crawl cost of 1,000 users with 2,000 keys in 10 groups, against the IAM emulator throttling above
 * 20 requests/s, with the broker capped at the same 20/s and production retry settings. The
 * baseline is the floor the throttle allows: calls / 20 per second.
 */
@QuarkusTest
@TestProfile(CrawlBenchmark.ProductionLimits.class)
@WithTestResource(IamEmulatorResource.class)
class CrawlBenchmark {

    static final int USERS = 1_000;
    static final int KEYS_PER_USER = 2;
    static final int GROUPS = 10;
    static final double THROTTLE_RPS = 20;

    public static class ProductionLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.iam.max-requests-per-second", String.valueOf(THROTTLE_RPS),
                    "keyfleet.iam.max-attempts", "8");
        }
    }

    @InjectIamEmulator
    IamEmulator iam;

    @Inject
    Directory directory;

    @Test
    void crawl() {
        iam.reset();
        for (int i = 0; i < USERS; i++) {
            String user = "user" + i;
            iam.addUser(user);
            iam.addToGroup("group" + (i % GROUPS), user);
            if (i % 3 == 0) {
                iam.addToGroup("group" + ((i + 1) % GROUPS), user);
            }
            for (int k = 0; k < KEYS_PER_USER; k++) {
                iam.addKey(user, TestKeys.ed25519(null));
            }
        }
        iam.throttleAbove(THROTTLE_RPS);
        StringBuilder report = new StringBuilder();

        Result first = measure("first");
        Result steady = measure("steady");
        report.append(first).append('\n').append(steady).append('\n');
        report.append(String.format("steady/first wall time: %.3f%n", steady.seconds / first.seconds));
        BenchReport.write("crawl", report.toString());

        assertEquals(USERS, directory.snapshot().orElseThrow().userCount());
        assertEquals(USERS * KEYS_PER_USER, directory.snapshot().orElseThrow().keyCount());
        assertEquals(0, steady.calls.getOrDefault("GetSSHPublicKey", 0));
        int groupPages = steady.calls.get("GetGroup");
        int listPages = steady.calls.get("ListGroups");
        assertTrue(steady.total() <= USERS + GROUPS + groupPages + listPages, steady.toString());
    }

    private Result measure(String label) {
        iam.resetCounts();
        long start = System.nanoTime();
        assertTrue(directory.refresh());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(label, seconds, iam.callsByAction(), iam.throttledCount());
    }

    record Result(String label, double seconds, Map<String, Integer> calls, int throttled) {
        int total() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            double floor = total() / THROTTLE_RPS;
            return String.format("%-6s crawl: %5d IAM requests %s, %d throttled; %.1f s wall; floor at %.0f req/s %.1f s; wall/floor %.2f",
                    label, total(), new java.util.TreeMap<>(calls), throttled, seconds, THROTTLE_RPS, floor, seconds / floor);
        }
    }
}
