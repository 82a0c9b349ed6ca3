package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.UidAllocator.Candidate;
import io.keyfleet.directory.UidAllocator.Placement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UidAllocatorTest {

    private final UidAllocator allocator = new UidAllocator(1_000_000, 10_000_000, Map.of());

    @Test
    void tenThousandUsersNeverShareAUidAndAllFallInTheRange() {
        Placement placement = allocator.place(population(10_000, new Random(1)));
        assertEquals(placement.uids().size(), new HashSet<>(placement.uids().values()).size(), "no two share a UID");
        assertTrue(placement.uids().values().stream().allMatch(uid -> uid >= 1_000_000 && uid < 11_000_000));
        assertEquals(10_000, placement.uids().size() + placement.unplaced().size());
        assertTrue(placement.unplaced().size() < 30, "about n²/2·size = 5 expected: " + placement.unplaced().size());
    }

    @Test
    void addingAndRemovingUsersNeverMovesAnyoneElse() {
        // A small range, so collisions happen on every step and the rule is really exercised.
        UidAllocator crowded = new UidAllocator(2_000_000, 500, Map.of());
        Random random = new Random(2);
        List<Candidate> users = new ArrayList<>(population(300, random));
        Placement before = crowded.place(users);
        for (int step = 0; step < 200; step++) {
            if (random.nextBoolean()) {
                users.add(new Candidate("AIDANEW" + step, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(step)));
            } else {
                users.remove(random.nextInt(users.size()));
            }
            Placement after = crowded.place(users);
            for (Candidate user : users) {
                Integer was = before.uids().get(user.userId());
                Integer now = after.uids().get(user.userId());
                assertTrue(was == null || was.equals(now), user.userId() + " moved from " + was + " to " + now + " at step " + step);
            }
            before = after;
        }
    }

    @Test
    void aCollisionLeavesTheYoungerUserUnplacedNotTheOlder() {
        UidAllocator one = new UidAllocator(3_000_000, 1, Map.of());
        Placement placement = one.place(List.of(new Candidate("AIDAYOUNG", Instant.parse("2025-06-01T00:00:00Z")),
                new Candidate("AIDAOLD", Instant.parse("2019-01-01T00:00:00Z"))));
        assertEquals(Map.of("AIDAOLD", 3_000_000), placement.uids());
        assertTrue(placement.unplaced().get("AIDAYOUNG").contains("AIDAOLD"));
    }

    @Test
    void pinsWinAndReserveTheirUidEvenForAnAbsentUser() {
        Candidate old = new Candidate("AIDAOLD", Instant.parse("2019-01-01T00:00:00Z"));
        int slot = allocator.slot("AIDAOLD");
        UidAllocator pinning = new UidAllocator(1_000_000, 10_000_000, Map.of("AIDALEGACY", 4242, "AIDAHOME", slot));
        Placement placement = pinning.place(List.of(old, new Candidate("AIDALEGACY", null)));
        assertEquals(4242, placement.uids().get("AIDALEGACY"));
        assertNull(placement.uids().get("AIDAOLD"), "its slot is pinned to AIDAHOME, absent or not");
        assertTrue(placement.unplaced().get("AIDAOLD").contains("pinned"));
    }

    @Test
    void twoUsersPinnedToOneUidAreBothReported() {
        UidAllocator pinning = new UidAllocator(1_000_000, 10_000_000, Map.of("AIDAA", 5000, "AIDAB", 5000));
        Placement placement = pinning.place(List.of(new Candidate("AIDAA", null), new Candidate("AIDAB", null)));
        assertTrue(placement.uids().isEmpty());
        assertEquals(2, placement.unplaced().size());
    }

    @Test
    void theUidFollowsTheImmutableIdSoARenameKeepsIt() {
        // The allocator never sees names: the id and creation date are all that count.
        Candidate user = new Candidate("AIDARENAMED", Instant.parse("2022-02-02T00:00:00Z"));
        assertEquals(allocator.place(List.of(user)).uids(), allocator.place(List.of(user)).uids());
        assertFalse(allocator.place(List.of(user)).uids().isEmpty());
    }

    private static List<Candidate> population(int n, Random random) {
        List<Candidate> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            users.add(new Candidate(String.format("AIDA%017d", random.nextLong() & Long.MAX_VALUE % 100_000_000_000_000_000L),
                    Instant.parse("2015-01-01T00:00:00Z").plusSeconds(random.nextInt(300_000_000))));
        }
        return users;
    }
}
