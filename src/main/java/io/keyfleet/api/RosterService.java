package io.keyfleet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.directory.Directory;
import io.keyfleet.directory.DirectorySnapshot;
import io.keyfleet.directory.DirectoryUser;
import io.keyfleet.directory.SshPublicKey;
import io.keyfleet.policy.Access;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the roster an instance must have. Instances whose policies grant the same access get the
 * same roster, so each distinct roster is serialised once per snapshot and then served as bytes
 * with its ETag: a fleet polling for changes costs a map look-up per request.
 */
@ApplicationScoped
public class RosterService {

    /** The serialised roster and its strong ETag (quoted, as sent in the header). */
    public record RosterBody(byte[] json, String etag) {}

    @RegisterForReflection
    public record Roster(List<RosterUser> users) {}

    /**
     * One account the instance must have; keys are authorized_keys lines; uid is the fleet UID and
     * gid that of the user's own group, equal to it (both null: the instance numbers the user).
     */
    @RegisterForReflection
    public record RosterUser(String iamName, String iamUserId, String localName, Integer uid, Integer gid, boolean sudo,
            List<String> localGroups, List<String> keys) {}

    private record Generation(DirectorySnapshot snapshot, Map<Access, RosterBody> bodies) {}

    private final Directory directory;
    private final ObjectMapper json;
    private final AtomicReference<Generation> generation = new AtomicReference<>();

    RosterService(Directory directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    public RosterBody roster(Access access) throws DirectoryNotReadyException {
        DirectorySnapshot snapshot = directory.snapshot().orElseThrow(DirectoryNotReadyException::new);
        Generation current = generation.updateAndGet(g -> g != null && g.snapshot() == snapshot ? g
                : new Generation(snapshot, new ConcurrentHashMap<>()));
        return current.bodies().computeIfAbsent(access, a -> serialise(build(snapshot, a)));
    }

    static Roster build(DirectorySnapshot snapshot, Access access) {
        List<RosterUser> users = new ArrayList<>();
        for (DirectoryUser user : snapshot.usersByLocalName().values()) {
            Optional<Access.UserAccess> granted = access.forUser(user.groups());
            granted.ifPresent(g -> users.add(new RosterUser(user.iamName(), user.userId(), user.localName(), user.uid(), user.uid(), g.sudo(),
                    g.localGroups().stream().sorted().toList(), user.keys().stream().map(SshPublicKey::authorizedKeysLine).toList())));
        }
        return new Roster(users);
    }

    private RosterBody serialise(Roster roster) {
        try {
            byte[] bytes = json.writeValueAsBytes(roster);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new RosterBody(bytes, '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + '"');
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot serialise a roster", e);
        }
    }
}
