package io.keyfleet.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Carries out a {@link SyncPlan} with the distribution's own tools: useradd, usermod, userdel, visudo. */
final class ShadowUtils {

    private final ClientConfig config;

    ShadowUtils(ClientConfig config) {
        this.config = config;
    }

    void ensureMarkerGroup(LocalAccounts local) throws IOException {
        if (!local.groups().contains(config.markerGroup())) {
            requireWhenUnlocked("groupadd", "--system", config.markerGroup());
        }
    }

    void apply(SyncPlan.Action action) throws IOException {
        if (action instanceof SyncPlan.Create c) {
            List<String> useradd = new ArrayList<>(List.of("useradd", "--create-home", "--shell", config.shell(), "--comment", c.comment(),
                    "--groups", String.join(",", c.groups()), "--password", "*", // key-only: no password, not locked
                    "--no-log-init")); // no sparse lastlog/faillog entries for high fleet UIDs
            if (c.uid() == null) {
                useradd.addAll(List.of("--user-group", "-K", "UID_MIN=" + config.uidMin(), "-K", "UID_MAX=" + config.uidMax()));
            } else if (c.gid() != null && ownGroupWithGid(c.user(), c.gid())) {
                useradd.addAll(List.of("--uid", String.valueOf(c.uid()), "--gid", c.user())); // own group, GID = fleet UID
            } else {
                useradd.addAll(List.of("--uid", String.valueOf(c.uid()), "--user-group")); // that GID or name is taken here
            }
            useradd.add(c.user());
            requireWhenUnlocked(useradd.toArray(String[]::new));
        } else if (action instanceof SyncPlan.SetGroups g) {
            requireWhenUnlocked("usermod", "--groups", String.join(",", g.groups()), g.user());
        } else if (action instanceof SyncPlan.SetComment c) {
            requireWhenUnlocked("usermod", "--comment", c.comment(), c.user());
        } else if (action instanceof SyncPlan.Unlock u) {
            requireWhenUnlocked("usermod", "--unlock", "--expiredate", "", u.user());
        } else if (action instanceof SyncPlan.Remove r && r.mode() == ClientConfig.RemovalMode.DELETE) {
            requireWhenUnlocked("userdel", "--remove", r.user());
        } else if (action instanceof SyncPlan.Remove r) {
            requireWhenUnlocked("usermod", "--lock", "--expiredate", "1", r.user());
        }
    }

    /**
     * Runs a shadow-utils command, waiting out another holder of /etc/passwd or /etc/group's lock
     * (an admin's useradd, or one left running by a sync that was killed) for a few seconds.
     */
    private static Processes.Result runWhenUnlocked(String... command) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Processes.Result result = Processes.run(command);
            if (result.exit() == 0 || attempt == 5 || !result.output().contains("lock")) {
                return result;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a shadow-utils lock", e);
            }
        }
    }

    private static void requireWhenUnlocked(String... command) throws IOException {
        Processes.Result result = runWhenUnlocked(command);
        if (result.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exit() + "): " + result.output());
        }
    }

    /**
     * The user's own group with GID = UID: made now, or found made by an earlier sync that was
     * interrupted before its useradd (so a rerun converges instead of failing on "group exists").
     */
    private static boolean ownGroupWithGid(String name, int gid) throws IOException {
        if (runWhenUnlocked("groupadd", "--gid", String.valueOf(gid), name).exit() == 0) {
            return true;
        }
        Processes.Result existing = Processes.run("getent", "group", name);
        String[] fields = existing.output().split(":", -1);
        return existing.exit() == 0 && fields.length > 2 && fields[2].equals(String.valueOf(gid));
    }

    /** Installs the sudoers drop-in only after visudo accepts it, by an atomic rename. */
    void writeSudoers(String content) throws IOException {
        Path target = config.sudoersFile();
        if (Files.exists(target) && Files.readString(target).equals(content)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("r--r-----")));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Processes.require("visudo", "--check", "--quiet", "--file", temp.toString());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
