package io.keyfleet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfleet.directory.Crawl;
import io.keyfleet.directory.DirectorySnapshot;
import io.keyfleet.directory.LocalNames;
import io.keyfleet.directory.SnapshotAssembler;
import io.keyfleet.testing.TestKeys;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Heap held by a snapshot of 10,000 users and 30,000 keys, plus the key-body cache the IAM source
 * keeps beside it. Baseline, measured in the same run: the same keys as bare authorized_keys text
 * held in one list of strings, the least any server could hold.
 */
class SnapshotHeapBenchmark {

    static final int USERS = 10_000;
    static final int KEYS_PER_USER = 3;

    @Test
    void heap() {
        List<Crawl.User> users = new ArrayList<>(USERS);
        for (int i = 0; i < USERS; i++) {
            List<Crawl.Key> keys = new ArrayList<>();
            for (int k = 0; k < KEYS_PER_USER; k++) {
                keys.add(new Crawl.Key(String.format("APKA%016d", i * KEYS_PER_USER + k),
                        k == 2 ? TestKeys.ecdsa("nistp256", "user" + i + "@host") : TestKeys.ed25519("user" + i + "@laptop")));
            }
            users.add(new Crawl.User(String.format("AIDA%016d", i), "user" + i + "@example.com", Instant.EPOCH.plusSeconds(i),
                    Set.of("group" + i % 20, "everyone"), keys));
        }
        Crawl crawl = new Crawl(users, Set.of("everyone"));

        long before = usedHeap();
        List<String> baseline = new ArrayList<>(USERS * KEYS_PER_USER);
        users.forEach(u -> u.activeKeys().forEach(k -> baseline.add(new String(k.body().toCharArray()))));
        long baselineBytes = usedHeap() - before;

        before = usedHeap();
        DirectorySnapshot snapshot = new SnapshotAssembler(new LocalNames(Set.of())::localName, Optional.empty())
                .assemble(crawl, "bench", Instant.now()).snapshot();
        long snapshotBytes = usedHeap() - before;

        before = usedHeap();
        Map<String, String> bodyCache = new HashMap<>();
        users.forEach(u -> u.activeKeys().forEach(k -> bodyCache.put(k.keyId(), new String(k.body().toCharArray()))));
        long cacheBytes = usedHeap() - before;

        assertEquals(USERS, snapshot.userCount());
        assertEquals(USERS * KEYS_PER_USER, snapshot.keyCount());
        BenchReport.write("snapshot-heap", String.format(
                "%d users, %d keys%n"
                        + "baseline (bare key lines in a list): %,d bytes%n"
                        + "snapshot:                            %,d bytes (%.0f bytes/user), %.2fx baseline%n"
                        + "key-body cache of the IAM source:    %,d bytes, %.2fx baseline%n"
                        + "snapshot + cache:                    %,d bytes, %.2fx baseline%n",
                USERS, USERS * KEYS_PER_USER, baselineBytes, snapshotBytes, (double) snapshotBytes / USERS,
                (double) snapshotBytes / baselineBytes, cacheBytes, (double) cacheBytes / baselineBytes,
                snapshotBytes + cacheBytes, (double) (snapshotBytes + cacheBytes) / baselineBytes));
        // Keep everything reachable until measured.
        assertEquals(baseline.size(), bodyCache.size());
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
