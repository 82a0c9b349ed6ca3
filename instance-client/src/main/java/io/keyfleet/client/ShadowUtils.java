package io.keyfleet.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Carries out a {@link SyncPlan} with the distribution's own tools: useradd, usermod, userdel, visudo. */
final class ShadowUtils {

    private final ClientConfig config;

    ShadowUtils(ClientConfig config) {
        this.config = config;
    }

    void ensureMarkerGroup(LocalAccounts local) throws IOException {
        if (!local.groups().contains(config.markerGroup())) {
            Processes.require("groupadd", "--system", config.markerGroup());
        }
    }

    void apply(SyncPlan.Action action) throws IOException {
        if (action instanceof SyncPlan.Create c) {
            Processes.require("useradd", "--create-home", "--shell", config.shell(), "--comment", c.comment(),
                    "--groups", String.join(",", c.groups()), "--password", "*", // key-only: no password, not locked
                    "-K", "UID_MIN=" + config.uidMin(), "-K", "UID_MAX=" + config.uidMax(), c.user());
        } else if (action instanceof SyncPlan.SetGroups g) {
            Processes.require("usermod", "--groups", String.join(",", g.groups()), g.user());
        } else if (action instanceof SyncPlan.SetComment c) {
            Processes.require("usermod", "--comment", c.comment(), c.user());
        } else if (action instanceof SyncPlan.Unlock u) {
            Processes.require("usermod", "--unlock", "--expiredate", "", u.user());
        } else if (action instanceof SyncPlan.Remove r && r.mode() == ClientConfig.RemovalMode.DELETE) {
            Processes.require("userdel", "--remove", r.user());
        } else if (action instanceof SyncPlan.Remove r) {
            Processes.require("usermod", "--lock", "--expiredate", "1", r.user());
        }
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
