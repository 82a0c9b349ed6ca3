package io.keyfleet.directory;

import io.keyfleet.LogSafe;
import io.keyfleet.directory.SshKeyParser.InvalidKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a raw {@link Crawl} into a {@link DirectorySnapshot}: maps names, validates keys, and drops
 * what must never be served. Pure, so every rule is testable without a server.
 */
public final class SnapshotAssembler {

    /** Something dropped from the snapshot, for the log and the metrics. */
    public sealed interface Problem {
        /** The metric tag: {@code unmappable-name}, {@code name-collision} or {@code invalid-key}. */
        String kind();

        /** One log line; untrusted parts already quoted. */
        String describe();
    }

    /** An IAM name that IAM would not allow, so it has no Linux name. */
    public record UnmappableName(String iamName) implements Problem {
        public String kind() {
            return "unmappable-name";
        }

        public String describe() {
            return "IAM user " + LogSafe.quote(iamName) + " skipped: not a name IAM allows";
        }
    }

    /** Several IAM users whose Linux names coincide: none of them is served. */
    public record NameCollision(String iamName, String localName) implements Problem {
        public String kind() {
            return "name-collision";
        }

        public String describe() {
            return "IAM user " + LogSafe.quote(iamName) + " skipped: its Linux name " + localName + " is also another user's";
        }
    }

    /** A key that failed validation; the rest of the user's keys are still served. */
    public record RejectedKey(String iamName, String keyId, SshKeyParser.Rejection reason, String detail) implements Problem {
        public String kind() {
            return "invalid-key";
        }

        public String describe() {
            return "Key " + LogSafe.quote(keyId) + " of IAM user " + LogSafe.quote(iamName) + " not served ("
                    + reason.tag() + "): " + detail;
        }
    }

    /** A user served without a fleet UID: it collides with a senior user or a pin. */
    public record UnplacedUid(String iamName, String reason) implements Problem {
        public String kind() {
            return "unplaced-uid";
        }

        public String describe() {
            return "IAM user " + LogSafe.quote(iamName) + " has no fleet UID: " + reason + "; pin one with keyfleet.uids.pinned";
        }
    }

    /** The snapshot and what was left out of it. */
    public record Assembly(DirectorySnapshot snapshot, List<Problem> problems) {}

    private final Function<String, Optional<String>> localNameOf;
    private final Optional<UidAllocator> uids;

    /**
     * @param localNameOf the IAM-to-Linux name mapping, normally {@link LocalNames#localName}
     * @param uids fleet UID placement, empty when fleet UIDs are off
     */
    public SnapshotAssembler(Function<String, Optional<String>> localNameOf, Optional<UidAllocator> uids) {
        this.localNameOf = localNameOf;
        this.uids = uids;
    }

    public Assembly assemble(Crawl crawl, String source, Instant takenAt) {
        List<Problem> problems = new ArrayList<>();
        Map<String, List<Crawl.User>> byLocalName = new HashMap<>();
        for (Crawl.User user : crawl.users()) {
            Optional<String> localName = localNameOf.apply(user.userName());
            if (localName.isEmpty()) {
                problems.add(new UnmappableName(user.userName()));
            } else {
                byLocalName.computeIfAbsent(localName.get(), k -> new ArrayList<>(1)).add(user);
            }
        }

        Map<String, Crawl.User> served = new TreeMap<>();
        byLocalName.forEach((localName, claimants) -> {
            if (claimants.size() > 1) {
                claimants.forEach(u -> problems.add(new NameCollision(u.userName(), localName)));
            } else {
                served.put(localName, claimants.get(0));
            }
        });
        Map<String, Integer> uidOf = placeUids(served.values(), problems);

        Map<String, DirectoryUser> users = new TreeMap<>();
        int keyCount = 0;
        for (Map.Entry<String, Crawl.User> entry : served.entrySet()) {
            Crawl.User user = entry.getValue();
            List<SshPublicKey> keys = validKeys(user, problems);
            keyCount += keys.size();
            users.put(entry.getKey(), new DirectoryUser(
                    user.userName(), user.userId(), entry.getKey(), Set.copyOf(user.groups()), keys, uidOf.get(user.userId())));
        }
        DirectorySnapshot snapshot = new DirectorySnapshot(
                takenAt, source, Collections.unmodifiableMap(users),
                Collections.unmodifiableSet(new TreeSet<>(crawl.groups())), keyCount);
        return new Assembly(snapshot, List.copyOf(problems));
    }

    /**
     * One user read live at login, held to the same rules as a crawl: the same Linux name (a renamed
     * user is not the account being logged into), only crawled groups, only valid keys. The fleet
     * UID stays the snapshot's: it is a crawl-wide decision.
     */
    public Optional<DirectoryUser> assembleUser(Crawl.User user, DirectoryUser known, Set<String> crawledGroups) {
        if (!localNameOf.apply(user.userName()).equals(Optional.of(known.localName()))) {
            return Optional.empty();
        }
        Set<String> groups = new TreeSet<>(user.groups());
        groups.retainAll(crawledGroups);
        return Optional.of(new DirectoryUser(user.userName(), user.userId(), known.localName(), Set.copyOf(groups),
                validKeys(user, new ArrayList<>()), known.uid()));
    }

    private Map<String, Integer> placeUids(Collection<Crawl.User> users, List<Problem> problems) {
        if (uids.isEmpty()) {
            return Map.of();
        }
        UidAllocator.Placement placement = uids.get().place(
                users.stream().map(u -> new UidAllocator.Candidate(u.userId(), u.created())).toList());
        for (Crawl.User user : users) {
            String reason = placement.unplaced().get(user.userId());
            if (reason != null) {
                problems.add(new UnplacedUid(user.userName(), reason));
            }
        }
        return placement.uids();
    }

    /** Ordered by key id, so replicas that listed them in another order still serve the same bytes. */
    private static List<SshPublicKey> validKeys(Crawl.User user, List<Problem> problems) {
        Map<String, SshPublicKey> keys = new TreeMap<>();
        for (Crawl.Key key : user.activeKeys()) {
            try {
                keys.putIfAbsent(key.keyId(), SshKeyParser.parse(key.keyId(), key.body()));
            } catch (InvalidKeyException e) {
                problems.add(new RejectedKey(user.userName(), key.keyId(), e.rejection(), e.getMessage()));
            }
        }
        return List.copyOf(keys.values());
    }
}
