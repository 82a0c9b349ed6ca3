package io.keyfleet.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What sync must do to make this machine match the roster: a pure function of the local accounts,
 * the roster and the configuration, so every rule is tested without root. It only ever touches
 * accounts in the marker group whose UID is in the managed range.
 */
record SyncPlan(List<Action> actions, List<String> notes, String sudoers) {

    /** One shadow-utils step. */
    sealed interface Action {
        String user();
    }

    /** {@code uid} null: useradd numbers the user from the local range; {@code gid}: the user's own group, when given. */
    record Create(String user, String comment, Integer uid, Integer gid, List<String> groups) implements Action {}

    record SetGroups(String user, List<String> groups) implements Action {}

    record SetComment(String user, String comment) implements Action {}

    record Unlock(String user) implements Action {}

    /** The user left: locked (password and expiry) or deleted with their home, as configured. */
    record Remove(String user, ClientConfig.RemovalMode mode) implements Action {}

    long removals() {
        return actions.stream().filter(a -> a instanceof Remove).count();
    }

    static SyncPlan compute(LocalAccounts local, Roster roster, ClientConfig config) {
        List<Action> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> wanted = new TreeSet<>();
        Set<String> sudoers = new TreeSet<>();
        for (Roster.User user : roster.users()) {
            wanted.add(user.localName());
            List<String> groups = groups(user, local, config, notes);
            LocalAccounts.Account account = local.accounts().get(user.localName());
            if (account == null) {
                Integer uid = fleetUid(user, local, notes);
                actions.add(new Create(user.localName(), user.iamName(), uid, uid == null ? null : user.gid(), groups));
            } else if (!isManaged(account, config)) {
                notes.add(user.localName() + ": an account of that name exists and Keyfleet did not create it; left alone");
                continue;
            } else {
                if (user.uid() != null && account.uid() != user.uid()) {
                    notes.add(user.localName() + ": local UID " + account.uid() + " differs from the fleet UID " + user.uid()
                            + "; not changed (files would change owner)");
                }
                if (account.locked()) {
                    actions.add(new Unlock(user.localName()));
                }
                if (!new TreeSet<>(account.groups()).equals(new TreeSet<>(groups))) {
                    actions.add(new SetGroups(user.localName(), groups));
                }
                if (!account.comment().equals(user.iamName())) {
                    actions.add(new SetComment(user.localName(), user.iamName()));
                }
            }
            if (user.sudo()) {
                sudoers.add(user.localName());
            }
        }
        for (LocalAccounts.Account account : local.accounts().values()) {
            if (!wanted.contains(account.name()) && isManaged(account, config)
                    && !(account.locked() && config.removalMode() == ClientConfig.RemovalMode.LOCK)) {
                actions.add(new Remove(account.name(), config.removalMode()));
            }
        }
        return new SyncPlan(List.copyOf(actions), List.copyOf(notes), sudoersFile(sudoers));
    }

    /** Managed: in the marker group, with a UID of at least uid-min (never a system account). */
    static boolean isManaged(LocalAccounts.Account account, ClientConfig config) {
        return account.groups().contains(config.markerGroup()) && account.uid() >= config.uidMin();
    }

    /** The fleet UID if this machine can give it; a UID already in use is reported and left to useradd. */
    private static Integer fleetUid(Roster.User user, LocalAccounts local, List<String> notes) {
        if (user.uid() == null) {
            return null;
        }
        for (LocalAccounts.Account other : local.accounts().values()) {
            if (other.uid() == user.uid()) {
                notes.add(user.localName() + ": fleet UID " + user.uid() + " is taken here by " + other.name() + "; created with a local UID");
                return null;
            }
        }
        return user.uid();
    }

    private static List<String> groups(Roster.User user, LocalAccounts local, ClientConfig config, List<String> notes) {
        Set<String> groups = new TreeSet<>();
        groups.add(config.markerGroup());
        for (String group : user.localGroups()) {
            if (local.groups().contains(group)) {
                groups.add(group);
            } else {
                notes.add(user.localName() + ": local group " + group + " does not exist here; skipped");
            }
        }
        return List.copyOf(groups);
    }

    private static String sudoersFile(Set<String> users) {
        StringBuilder text = new StringBuilder("# Written by keyfleet sync; changes are overwritten. Users in sudo-groups of the matching policies.\n");
        for (String user : users) {
            // Keyfleet accounts have no password, so sudo cannot ask for one.
            text.append(user).append(" ALL=(ALL:ALL) NOPASSWD: ALL\n");
        }
        return text.toString();
    }
}
