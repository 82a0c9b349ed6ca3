package io.keyfleet.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the policies matching one instance grant, as a whole. Equal accesses give equal rosters, so
 * instances with the same access share one cached roster.
 */
public record Access(List<Grant> grants) {

    /** One matching policy's grant. */
    public record Grant(String policy, Set<String> groups, Set<String> sudoGroups, Set<String> localGroups) {

        boolean admits(Set<String> userGroups) {
            return intersects(groups, userGroups) || intersects(sudoGroups, userGroups);
        }
    }

    /** What one user gets on this instance. */
    public record UserAccess(boolean sudo, Set<String> localGroups, Set<String> policies) {}

    public boolean isEmpty() {
        return grants.isEmpty();
    }

    /** The access of a user in {@code userGroups}; empty when no grant admits them. */
    public Optional<UserAccess> forUser(Set<String> userGroups) {
        boolean admitted = false;
        boolean sudo = false;
        Set<String> localGroups = new TreeSet<>();
        Set<String> policies = new TreeSet<>();
        for (Grant grant : grants) {
            if (grant.admits(userGroups)) {
                admitted = true;
                sudo |= intersects(grant.sudoGroups(), userGroups);
                localGroups.addAll(grant.localGroups());
                policies.add(grant.policy());
            }
        }
        return admitted ? Optional.of(new UserAccess(sudo, Set.copyOf(localGroups), Set.copyOf(policies))) : Optional.empty();
    }

    public List<String> policyNames() {
        return grants.stream().map(Grant::policy).toList();
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String s : small) {
            if (large.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
