package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.SnapshotAssembler.NameCollision;
import io.keyfleet.directory.SnapshotAssembler.Problem;
import io.keyfleet.directory.SnapshotAssembler.RejectedKey;
import io.keyfleet.directory.SnapshotAssembler.UnmappableName;
import io.keyfleet.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

    private final SnapshotAssembler assembler = new SnapshotAssembler(new LocalNames(Set.of())::localName, Optional.empty());

    @Test
    void servesValidKeysAndReportsEachDroppedOne() {
        String good = TestKeys.ed25519("good");
        Crawl crawl = new Crawl(List.of(new Crawl.User("AIDA1", "alice", null, Set.of("dev"), List.of(
                new Crawl.Key("APKA1", good),
                new Crawl.Key("APKA2", TestKeys.rsa(1024, "weak")),
                new Crawl.Key("APKA3", "command=\"id\" " + good)))), Set.of("dev", "empty"));

        SnapshotAssembler.Assembly assembly = assembler.assemble(crawl, "test", Instant.EPOCH);

        DirectoryUser alice = assembly.snapshot().usersByLocalName().get("alice");
        assertEquals(List.of("APKA1"), alice.keys().stream().map(SshPublicKey::keyId).toList());
        assertEquals(1, assembly.snapshot().keyCount());
        assertEquals(Set.of("dev", "empty"), assembly.snapshot().groups());
        assertEquals(List.of("APKA2", "APKA3"), assembly.problems().stream().map(p -> ((RejectedKey) p).keyId()).toList());
    }

    @Test
    void usersWhoseLinuxNamesCollideAreAllLeftOut() {
        // Cannot happen with names IAM allows (the mapping is injective); a 40-bit hash collision
        // or a misbehaving source must still never hand one person another's account.
        Function<String, Optional<String>> collapsing = iamName -> Optional.of(iamName.startsWith("twin") ? "twin" : iamName);
        Crawl crawl = new Crawl(List.of(
                new Crawl.User("AIDA1", "twin1", null, Set.of("g"), List.of()),
                new Crawl.User("AIDA2", "twin2", null, Set.of("g"), List.of()),
                new Crawl.User("AIDA3", "solo", null, Set.of("g"), List.of())), Set.of("g"));

        SnapshotAssembler.Assembly assembly = new SnapshotAssembler(collapsing, Optional.empty()).assemble(crawl, "test", Instant.EPOCH);

        assertEquals(Set.of("solo"), assembly.snapshot().usersByLocalName().keySet());
        assertEquals(2, assembly.problems().stream().filter(p -> p instanceof NameCollision).count());
    }

    @Test
    void namesIamWouldNotAllowAreLeftOut() {
        Crawl crawl = new Crawl(List.of(new Crawl.User("AIDA1", "../../etc", null, Set.of("g"), List.of())), Set.of("g"));
        SnapshotAssembler.Assembly assembly = assembler.assemble(crawl, "test", Instant.EPOCH);
        assertTrue(assembly.snapshot().usersByLocalName().isEmpty());
        Problem problem = assembly.problems().get(0);
        assertTrue(problem instanceof UnmappableName);
        assertFalse(problem.describe().contains("\n"));
    }
}
