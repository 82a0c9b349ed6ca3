package io.keyfleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SyncPlanTest {

    private final ClientConfig lock = config("lock");

    @Test
    void createsMissingUsersInTheMarkerGroupWithTheLocalGroupsThatExist() {
        SyncPlan plan = SyncPlan.compute(local(), roster(user("alice", true, "docker", "nosuchgroup")), lock);
        assertEquals(List.of(new SyncPlan.Create("alice", "alice", 1_234_567, 1_234_567, List.of("docker", "keyfleet-users"))), plan.actions());
        assertTrue(plan.notes().get(0).contains("nosuchgroup"));
        assertTrue(plan.sudoers().contains("alice ALL=(ALL:ALL) NOPASSWD: ALL"));
    }

    @Test
    void aSecondRunChangesNothing() {
        LocalAccounts afterFirst = local(account("alice", 2001, "alice", false, "docker", "keyfleet-users"));
        SyncPlan plan = SyncPlan.compute(afterFirst, roster(user("alice", false, "docker")), lock);
        assertEquals(List.of(), plan.actions());
        assertTrue(!plan.sudoers().contains("alice"));
    }

    @Test
    void updatesGroupsAndCommentsAndUnlocksAReturningUser() {
        LocalAccounts before = local(account("alice", 2001, "old name", true, "keyfleet-users"));
        SyncPlan plan = SyncPlan.compute(before, roster(user("alice", false, "docker")), lock);
        assertEquals(List.of(new SyncPlan.Unlock("alice"), new SyncPlan.SetGroups("alice", List.of("docker", "keyfleet-users")),
                new SyncPlan.SetComment("alice", "alice")), plan.actions());
    }

    @Test
    void locksOrDeletesManagedUsersWhoLeftAndLocksOnlyOnce() {
        LocalAccounts before = local(account("gone", 2002, "gone", false, "keyfleet-users"),
                account("long-gone", 2003, "long-gone", true, "keyfleet-users"));
        assertEquals(List.of(new SyncPlan.Remove("gone", ClientConfig.RemovalMode.LOCK)),
                SyncPlan.compute(before, roster(), lock).actions());
        assertEquals(2, SyncPlan.compute(before, roster(), config("delete")).removals());
    }

    @Test
    void neverTouchesAccountsItDidNotCreateNorSystemAccounts() {
        LocalAccounts before = local(
                account("ubuntu", 1000, "Ubuntu", false, "sudo"),
                account("alice", 1001, "Alice Local", false, "users"),
                account("svc", 999, "service", false, "keyfleet-users"),
                account("root", 0, "root", false, "keyfleet-users"));
        SyncPlan plan = SyncPlan.compute(before, roster(user("alice", true)), lock);
        assertEquals(List.of(), plan.actions(), "the existing alice is not ours; svc and root are below the UID range");
        assertTrue(plan.notes().get(0).startsWith("alice: an account of that name exists"));
    }

    @Test
    void aFleetUidTakenHereIsReportedAndAnExistingAccountsUidNeverChanged() {
        LocalAccounts taken = local(account("ubuntu", 1_234_567, "Ubuntu", false, "sudo"));
        SyncPlan plan = SyncPlan.compute(taken, roster(user("alice", false)), lock);
        assertEquals(List.of(new SyncPlan.Create("alice", "alice", null, null, List.of("keyfleet-users"))), plan.actions());
        assertTrue(plan.notes().get(0).contains("taken here by ubuntu"), plan.notes().toString());

        LocalAccounts differs = local(account("alice", 2001, "alice", false, "keyfleet-users"));
        SyncPlan again = SyncPlan.compute(differs, roster(user("alice", false)), lock);
        assertEquals(List.of(), again.actions());
        assertTrue(again.notes().get(0).contains("local UID 2001 differs from the fleet UID 1234567"), again.notes().toString());
    }

    private static ClientConfig config(String removalMode) {
        try {
            return ClientConfig.parse("test", "broker-url=https://b\nremoval-mode=" + removalMode + "\n");
        } catch (Failure e) {
            throw new AssertionError(e);
        }
    }

    private static Roster roster(Roster.User... users) {
        return new Roster(List.of(users));
    }

    private static Roster.User user(String name, boolean sudo, String... groups) {
        return new Roster.User(name, "AIDA" + name.toUpperCase(), name, 1_234_567, 1_234_567, sudo, List.of(groups), List.of());
    }

    private static LocalAccounts.Account account(String name, int uid, String comment, boolean locked, String... groups) {
        return new LocalAccounts.Account(name, uid, comment, Set.of(groups), locked);
    }

    private static LocalAccounts local(LocalAccounts.Account... accounts) {
        Map<String, LocalAccounts.Account> map = new TreeMap<>();
        for (LocalAccounts.Account a : accounts) {
            map.put(a.name(), a);
        }
        return new LocalAccounts(map, Set.of("docker", "keyfleet-users", "sudo", "users"));
    }
}
