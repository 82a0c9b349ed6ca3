package io.keyfleet.policy;

import io.keyfleet.identity.InstanceIdentity;
import io.keyfleet.inventory.InstanceFacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Matches an instance against every configured policy and combines the grants of those that match. */
@ApplicationScoped
public class PolicyEngine {

    private static final Logger LOG = Logger.getLogger(PolicyEngine.class);
    private static final Pattern LINUX_GROUP = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final Map<String, PolicyConfig.Policy> policies;

    PolicyEngine(PolicyConfig config) {
        this.policies = new TreeMap<>(config.policies());
        policies.forEach(PolicyEngine::validate);
        if (policies.isEmpty()) {
            LOG.warn("No keyfleet.policies configured: every instance is refused (403) until one is");
        }
    }

    /** Whether any policy needs the instance's tags, and so an EC2 look-up. */
    public boolean needsTags() {
        return policies.values().stream().anyMatch(p -> !p.tags().isEmpty());
    }

    /** @param facts the instance's EC2 state and tags, when they were looked up */
    public Access evaluate(InstanceIdentity identity, Optional<InstanceFacts> facts) {
        List<Access.Grant> grants = new ArrayList<>();
        policies.forEach((name, policy) -> {
            if (matches(policy, identity, facts)) {
                grants.add(new Access.Grant(name, policy.groups(), policy.sudoGroups().orElse(Set.of()),
                        policy.localGroups().orElse(Set.of())));
            }
        });
        return new Access(List.copyOf(grants));
    }

    private static boolean matches(PolicyConfig.Policy policy, InstanceIdentity identity, Optional<InstanceFacts> facts) {
        return anyOf(policy.accounts(), identity.accountId())
                && anyOf(policy.regions(), identity.region())
                && anyOf(policy.amis(), identity.imageId())
                && anyOf(policy.instanceIds(), identity.instanceId())
                && tagsMatch(policy.tags(), facts);
    }

    private static boolean anyOf(Optional<Set<String>> accepted, String value) {
        return accepted.map(set -> set.contains(value)).orElse(true);
    }

    /** Without facts a tag policy cannot be shown to match, so it does not. */
    private static boolean tagsMatch(Map<String, List<String>> required, Optional<InstanceFacts> facts) {
        if (required.isEmpty()) {
            return true;
        }
        if (facts.isEmpty()) {
            return false;
        }
        Map<String, String> tags = facts.get().tags();
        return required.entrySet().stream().allMatch(tag -> {
            String actual = tags.get(tag.getKey());
            return actual != null && (tag.getValue().contains("*") || tag.getValue().contains(actual));
        });
    }

    private static void validate(String name, PolicyConfig.Policy policy) {
        policy.localGroups().orElse(Set.of()).forEach(group -> {
            if (!LINUX_GROUP.matcher(group).matches()) {
                throw new IllegalArgumentException("keyfleet.policies." + name + ".local-groups: \"" + group + "\" is not a valid Linux group name");
            }
        });
        if (policy.groups().isEmpty() && policy.sudoGroups().orElse(Set.of()).isEmpty()) {
            throw new IllegalArgumentException("keyfleet.policies." + name + " grants nothing: set groups or sudo-groups");
        }
    }
}
