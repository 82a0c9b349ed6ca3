package io.keyfleet.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfleet.directory.file.FileDirectorySource;
import io.keyfleet.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDirectorySourceTest {

    @TempDir
    Path dir;

    @Test
    void theShippedDevDirectoryLoads() throws Exception {
        Crawl crawl = new FileDirectorySource(Path.of("dev/directory.yaml")).crawl();
        DirectorySnapshot snapshot = new SnapshotAssembler(new LocalNames(Set.of())::localName, Optional.empty()).assemble(crawl, "file", Instant.EPOCH).snapshot();
        assertEquals(Set.of("alice", "bob.plus.ops.at.example.com", "carol"), snapshot.usersByLocalName().keySet());
        assertEquals(1, snapshot.usersByLocalName().get("bob.plus.ops.at.example.com").keys().size(), "the short RSA key is dropped");
    }

    @Test
    void inactiveKeysAreNotReadAndIdsAreStable() throws Exception {
        Path file = dir.resolve("d.yaml");
        Files.writeString(file, """
                users:
                  - name: dave
                    groups: [ops]
                    keys:
                      - body: %s
                      - body: %s
                        status: Inactive
                """.formatted(TestKeys.ed25519("a"), TestKeys.ed25519("b")));
        FileDirectorySource source = new FileDirectorySource(file);
        Crawl first = source.crawl();
        Crawl.User dave = first.users().get(0);
        assertEquals(1, dave.activeKeys().size());
        assertEquals(Set.of("ops"), first.groups());
        assertTrue(dave.userId().matches("[A-Z0-9]+"));
        assertEquals(java.time.Instant.EPOCH, dave.created(), "without a date, the first in the file is the oldest");
        assertEquals(first, source.crawl(), "same file, same ids");
    }

    @Test
    void aFileThatDoesNotParseFailsTheCrawl() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "users:\n  - name: x\n    unknown-field: 1\n");
        assertThrows(Exception.class, () -> new FileDirectorySource(file).crawl());
        Files.writeString(file, "groups: [a]\n");
        assertThrows(Exception.class, () -> new FileDirectorySource(file).crawl());
        assertThrows(Exception.class, () -> new FileDirectorySource(dir.resolve("missing.yaml")).crawl());
    }
}
