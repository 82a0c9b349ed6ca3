package io.keyfleet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfleet.directory.Crawl;
import io.keyfleet.directory.DirectorySnapshot;
import io.keyfleet.directory.LocalNames;
import io.keyfleet.directory.SnapshotAssembler;
import io.keyfleet.directory.UidAllocator;
import io.keyfleet.policy.Access;
import io.keyfleet.testing.TestKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two replicas crawl the same IAM but may see users, groups and keys in another order; they must
 * serve the same roster, or ETags would flap between replicas behind one load balancer.
 */
class RosterDeterminismTest {

    @Test
    void theSameDirectoryInAnyOrderGivesTheSameRoster() {
        List<Crawl.User> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<Crawl.Key> keys = List.of(new Crawl.Key("APKA" + i + "A", TestKeys.ed25519(null)),
                    new Crawl.Key("APKA" + i + "B", TestKeys.ed25519(null)));
            users.add(new Crawl.User("AIDA" + i, "user" + i, Instant.EPOCH.plusSeconds(i), Set.of("dev", "ops" + i % 3), keys));
        }
        Access access = new Access(List.of(new Access.Grant("p", Set.of("dev"), Set.of("ops1"), Set.of("docker", "adm"))));

        RosterService.Roster first = RosterService.build(assemble(users), access);
        Random random = new Random(3);
        for (int round = 0; round < 5; round++) {
            List<Crawl.User> shuffled = new ArrayList<>();
            for (Crawl.User u : users) {
                List<Crawl.Key> keys = new ArrayList<>(u.activeKeys());
                Collections.shuffle(keys, random);
                shuffled.add(new Crawl.User(u.userId(), u.userName(), u.created(), u.groups(), keys));
            }
            Collections.shuffle(shuffled, random);
            assertEquals(first, RosterService.build(assemble(shuffled), access));
        }
    }

    private static DirectorySnapshot assemble(List<Crawl.User> users) {
        return new SnapshotAssembler(new LocalNames(Set.of())::localName, Optional.of(new UidAllocator(1_000_000, 10_000_000, Map.of())))
                .assemble(new Crawl(users, Set.of("dev", "ops0", "ops1", "ops2")), "test", Instant.EPOCH).snapshot();
    }
}
