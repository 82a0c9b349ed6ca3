package io.keyfleet.directory.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.keyfleet.directory.Crawl;
import io.keyfleet.directory.DirectorySource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the directory from a YAML file instead of IAM: the same users, groups and keys, re-read on
 * every refresh so edits take effect without a restart. A file that does not parse fails the crawl
 * and the previous snapshot stays in service, as with an IAM outage.
 *
 * <pre>
 * groups: [developers, admins]          # optional: groups that exist even when empty
 * users:
 *   - name: alice                       # IAM-style user name
 *     id: AIDAALICE                     # optional, stable id; derived from the name when absent
 *     created: 2024-05-01T09:00:00Z     # optional; decides who keeps a fleet UID two users hash to
 *                                       # (default: the order in the file, so append new users)
 *     groups: [developers]
 *     keys:
 *       - body: ssh-ed25519 AAAA… alice@laptop
 *         id: APKAALICE1                # optional, derived from the body when absent
 *         status: Active                # or Inactive; default Active
 * </pre>
 */
public final class FileDirectorySource implements DirectorySource {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new JavaTimeModule());

    private final Path file;

    public FileDirectorySource(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Crawl crawl() throws IOException {
        DirectoryFile parsed = YAML.readValue(file.toFile(), DirectoryFile.class);
        if (parsed == null || parsed.users() == null) {
            throw new IOException(file + ": no 'users:' list");
        }
        Set<String> groups = new LinkedHashSet<>(Objects.requireNonNullElse(parsed.groups(), List.of()));
        List<Crawl.User> users = new ArrayList<>();
        for (int position = 0; position < parsed.users().size(); position++) {
            users.add(toUser(parsed.users().get(position), position, groups));
        }
        return new Crawl(users, Set.copyOf(groups));
    }

    @Override
    public Optional<Crawl.User> readUser(String userId, String userName) throws IOException {
        return crawl().users().stream().filter(u -> u.userName().equalsIgnoreCase(userName)).findFirst();
    }

    /**
     * Without a {@code created} date, a user's place in the file stands in for it (as an instant in
     * 1970, older than any real date), so users appended later never take an earlier one's UID.
     */
    private Crawl.User toUser(FileUser user, int position, Set<String> allGroups) {
        if (user.name() == null) {
            throw new IllegalArgumentException(file + ": a user without 'name'");
        }
        List<String> groups = Objects.requireNonNullElse(user.groups(), List.of());
        allGroups.addAll(groups);
        List<Crawl.Key> keys = Objects.requireNonNullElse(user.keys(), List.<FileKey>of()).stream()
                .filter(k -> k.status() == null || k.status().equalsIgnoreCase("Active"))
                .map(k -> new Crawl.Key(k.id() != null ? k.id() : "FILEKEY" + digest(k.body()), k.body()))
                .toList();
        String id = user.id() != null ? user.id() : "FILEUSER" + digest(user.name().toLowerCase(Locale.ROOT));
        Instant created = user.created() != null ? user.created() : Instant.EPOCH.plusSeconds(position);
        return new Crawl.User(id, user.name(), created, Set.copyOf(groups), keys);
    }

    /** Stable ids in IAM's alphabet, so file users look like IAM users to everything downstream. */
    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @RegisterForReflection
    record DirectoryFile(List<String> groups, List<FileUser> users) {}

    @RegisterForReflection
    record FileUser(String name, String id, Instant created, List<String> groups, List<FileKey> keys) {}

    @RegisterForReflection
    record FileKey(String body, String id, String status) {}
}
