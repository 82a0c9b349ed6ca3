package io.keyfleet.directory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Places users on fleet UIDs by a rule that never moves a placed user when others come or go:
 * <ol>
 *   <li>a pinned UID (configuration) is the user's, unless another user pins the same one;</li>
 *   <li>otherwise the user's slot is {@code start + SHA-256(IAM user id) mod size};</li>
 *   <li>a slot claimed by a pin, or by a user created earlier in IAM (ties: the smaller user id),
 *       is not given to anyone else: that user is reported as unplaced instead of being moved on.</li>
 * </ol>
 * Adding a user can only leave the newcomer unplaced (it was created last); removing one can only
 * place a user who had no UID before. A rename changes neither id nor creation date.
 */
public final class UidAllocator {

    /** A user's identity as far as UIDs go. {@code created} may be null (file source without dates). */
    public record Candidate(String userId, Instant created) {}

    /** The outcome: UIDs by user id, and why the others have none. */
    public record Placement(Map<String, Integer> uids, Map<String, String> unplaced) {}

    private static final Comparator<Candidate> SENIORITY = Comparator
            .comparing((Candidate c) -> c.created() == null ? Instant.MAX : c.created())
            .thenComparing(Candidate::userId);

    private final int start;
    private final int size;
    private final Map<String, Integer> pinned;

    public UidAllocator(int start, int size, Map<String, Integer> pinned) {
        if (start < 1000 || size < 1 || (long) start + size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("keyfleet.uids range " + start + "+" + size + " must lie within 1000.." + Integer.MAX_VALUE);
        }
        this.start = start;
        this.size = size;
        this.pinned = Map.copyOf(pinned);
    }

    public Placement place(List<Candidate> users) {
        Map<String, Integer> uids = new HashMap<>();
        Map<String, String> unplaced = new HashMap<>();
        Map<Integer, List<String>> pinsByUid = new HashMap<>();
        for (Candidate user : users) {
            Integer pin = pinned.get(user.userId());
            if (pin != null) {
                pinsByUid.computeIfAbsent(pin, u -> new ArrayList<>()).add(user.userId());
            }
        }
        Set<Integer> taken = new HashSet<>(pinned.values()); // a pin reserves its UID even while its user is absent
        pinsByUid.forEach((uid, holders) -> {
            if (holders.size() == 1) {
                uids.put(holders.get(0), uid);
            } else {
                holders.forEach(h -> unplaced.put(h, "pinned to " + uid + " like " + (holders.size() - 1) + " other user(s)"));
            }
        });
        List<Candidate> hashed = new ArrayList<>(users.stream().filter(u -> !pinned.containsKey(u.userId())).toList());
        hashed.sort(SENIORITY);
        Map<Integer, String> holderOfSlot = new HashMap<>();
        for (Candidate user : hashed) {
            int slot = slot(user.userId());
            if (taken.contains(slot)) {
                unplaced.put(user.userId(), "its UID " + slot + " is pinned to another user");
            } else if (holderOfSlot.containsKey(slot)) {
                unplaced.put(user.userId(), "its UID " + slot + " belongs to " + holderOfSlot.get(slot) + ", created earlier");
            } else {
                holderOfSlot.put(slot, user.userId());
                uids.put(user.userId(), slot);
            }
        }
        return new Placement(Map.copyOf(uids), Map.copyOf(unplaced));
    }

    int slot(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            long value = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
            return start + (int) (value % size);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
