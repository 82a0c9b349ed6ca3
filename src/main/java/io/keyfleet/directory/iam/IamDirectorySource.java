package io.keyfleet.directory.iam;

import io.keyfleet.LogSafe;
import io.keyfleet.directory.Crawl;
import io.keyfleet.directory.DirectorySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EncodingType;
import software.amazon.awssdk.services.iam.model.GetGroupResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.ListGroupsForUserResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.SSHPublicKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.User;

/**
 * Crawls IAM: the members of each crawled group (GetGroup), then each member's SSH public keys
 * (ListSSHPublicKeys). A key body is fetched (GetSSHPublicKey, SSH encoding) only the first time its
 * id is seen, because IAM never changes the body behind an id; a steady-state crawl therefore costs
 * one call per group page and one per user.
 */
@ApplicationScoped
@Typed(IamDirectorySource.class) // served through DirectorySources, not as a second DirectorySource bean
public class IamDirectorySource implements DirectorySource {

    private static final Logger LOG = Logger.getLogger(IamDirectorySource.class);

    private final IamClient iam;
    private final IamConfig config;
    private final Map<String, String> keyBodiesById = new ConcurrentHashMap<>();

    IamDirectorySource(IamClient iam, IamConfig config) {
        this.iam = iam;
        this.config = config;
    }

    @Override
    public String name() {
        return "iam";
    }

    @Override
    public Crawl crawl() {
        List<String> groupNames = config.groups().orElseGet(this::listAllGroups);
        Map<String, Member> members = new LinkedHashMap<>();
        Set<String> crawledGroups = new LinkedHashSet<>();
        for (String groupName : groupNames) {
            if (readGroup(groupName, members)) {
                crawledGroups.add(groupName);
            }
        }

        List<Crawl.User> users = new ArrayList<>(members.size());
        Set<String> seenKeyIds = new LinkedHashSet<>();
        for (Member member : members.values()) {
            List<Crawl.Key> keys = activeKeys(member.user().userName());
            if (keys == null) {
                continue;
            }
            keys.forEach(k -> seenKeyIds.add(k.keyId()));
            users.add(new Crawl.User(member.user().userId(), member.user().userName(), member.user().createDate(),
                    Set.copyOf(member.groups()), keys));
        }
        // Only after a complete crawl: bodies of keys that disappeared are no longer needed.
        keyBodiesById.keySet().retainAll(seenKeyIds);
        return new Crawl(List.copyOf(users), Set.copyOf(crawledGroups));
    }

    @Override
    public Optional<Crawl.User> readUser(String userId, String userName) {
        try {
            Set<String> groups = new LinkedHashSet<>();
            for (ListGroupsForUserResponse page : iam.listGroupsForUserPaginator(r -> r.userName(userName).maxItems(config.pageSize()))) {
                page.groups().forEach(g -> groups.add(g.groupName()));
            }
            List<Crawl.Key> keys = activeKeys(userName);
            if (keys == null) {
                return Optional.empty();
            }
            return Optional.of(new Crawl.User(userId, userName, null, Set.copyOf(groups), keys));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    private List<String> listAllGroups() {
        return iam.listGroupsPaginator(r -> r.maxItems(config.pageSize())).groups().stream().map(Group::groupName).toList();
    }

    /** @return false when the group does not exist (a configured name that IAM does not know). */
    private boolean readGroup(String groupName, Map<String, Member> members) {
        try {
            for (GetGroupResponse page : iam.getGroupPaginator(r -> r.groupName(groupName).maxItems(config.pageSize()))) {
                for (User user : page.users()) {
                    members.computeIfAbsent(user.userId(), id -> new Member(user, new LinkedHashSet<>())).groups().add(groupName);
                }
            }
            return true;
        } catch (NoSuchEntityException e) {
            LOG.warnf("IAM group %s does not exist; nobody gets access through it", LogSafe.quote(groupName));
            return false;
        }
    }

    /** @return the user's Active keys, or null when the user was deleted while the crawl ran. */
    private List<Crawl.Key> activeKeys(String userName) {
        try {
            List<Crawl.Key> keys = new ArrayList<>();
            for (SSHPublicKeyMetadata key : iam.listSSHPublicKeysPaginator(r -> r.userName(userName).maxItems(config.pageSize())).sshPublicKeys()) {
                if (key.status() != StatusType.ACTIVE) {
                    continue;
                }
                String body = keyBody(userName, key.sshPublicKeyId());
                if (body != null) {
                    keys.add(new Crawl.Key(key.sshPublicKeyId(), body));
                }
            }
            return keys;
        } catch (NoSuchEntityException e) {
            LOG.infof("IAM user %s disappeared during the crawl; left out", LogSafe.quote(userName));
            return null;
        }
    }

    /** @return the SSH-encoded body, or null when the key was deleted since it was listed. */
    private String keyBody(String userName, String keyId) {
        String cached = keyBodiesById.get(keyId);
        if (cached != null) {
            return cached;
        }
        try {
            String body = iam.getSSHPublicKey(r -> r.userName(userName).sshPublicKeyId(keyId).encoding(EncodingType.SSH))
                    .sshPublicKey().sshPublicKeyBody();
            keyBodiesById.put(keyId, body);
            return body;
        } catch (NoSuchEntityException e) {
            return null;
        }
    }

    private record Member(User user, Set<String> groups) {}
}
