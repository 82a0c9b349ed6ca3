package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShrinkGuardTest {

    @Test
    void smallTeamsMayRemoveAFewPeopleButNeverEveryone() {
        assertEquals(Optional.empty(), Directory.tooMuchShrink(snapshot(4, 4), snapshot(3, 3), 0.25));
        assertEquals(Optional.empty(), Directory.tooMuchShrink(snapshot(10, 10), snapshot(5, 5), 0.25));
        assertTrue(Directory.tooMuchShrink(snapshot(4, 4), snapshot(0, 0), 0.25).isPresent());
    }

    @Test
    void largeDropsAreHeldBackUnlessConfirmed() {
        assertTrue(Directory.tooMuchShrink(snapshot(1000, 2000), snapshot(700, 1400), 0.25).orElseThrow().contains("1000 to 700"));
        assertEquals(Optional.empty(), Directory.tooMuchShrink(snapshot(1000, 2000), snapshot(700, 1400), 1.0));
        assertEquals(Optional.empty(), Directory.tooMuchShrink(snapshot(1000, 2000), snapshot(800, 1600), 0.25));
    }

    @Test
    void keysVanishingWhileUsersStayIsHeldBackToo() {
        assertTrue(Directory.tooMuchShrink(snapshot(100, 200), snapshot(100, 0), 0.25).orElseThrow().contains("keys"));
    }

    @Test
    void theFirstSnapshotIsNeverHeldBack() {
        assertEquals(Optional.empty(), Directory.tooMuchShrink(null, snapshot(0, 0), 0.25));
    }

    private static DirectorySnapshot snapshot(int users, int keys) {
        Map<String, DirectoryUser> byName = new HashMap<>();
        for (int i = 0; i < users; i++) {
            byName.put("u" + i, new DirectoryUser("u" + i, "AIDA" + i, "u" + i, Set.of(), List.of(), null));
        }
        return new DirectorySnapshot(Instant.EPOCH, "test", byName, Set.of(), keys);
    }
}
