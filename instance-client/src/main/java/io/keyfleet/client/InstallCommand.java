package io.keyfleet.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keyfleet install [--prefix DIR] [--uninstall]}: puts the client where sshd accepts it (a
 * root-owned path), with its launcher, a class-data-sharing archive for fast starts, the
 * AuthorizedKeysCommandUser, the sshd drop-in, and the systemd units that run sync. Idempotent;
 * never overwrites an existing client.conf; sshd is only reloaded after {@code sshd -t} accepts
 * the result, and the drop-in is taken back if it does not.
 */
final class InstallCommand {

    static final String COMMAND_USER = "keyfleet";
    static final Path SYSTEMD = Path.of("/etc/systemd/system");

    private final Path prefix;
    private final Path configFile;
    private final SshdDropIn sshd;
    private final PrintStream out;

    InstallCommand(Path prefix, Path configFile, Path sshdConfig, PrintStream out) {
        this.prefix = prefix;
        this.configFile = configFile;
        this.sshd = new SshdDropIn(sshdConfig);
        this.out = out;
    }

    /** @param replace take the place of another AuthorizedKeysCommand (EC2 Instance Connect's) */
    int install(boolean replace) throws Failure {
        try {
            Path lib = Files.createDirectories(prefix.resolve("lib"));
            Path jar = lib.resolve("keyfleet-client.jar");
            Path running = runningJar();
            if (!running.equals(jar)) {
                Files.copy(running, jar, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Path launcher = Files.createDirectories(prefix.resolve("bin")).resolve("keyfleet");
            writeIfChanged(launcher, launcher(jar, lib.resolve("keyfleet.jsa")), "rwxr-xr-x");
            buildSharedArchive(jar, lib.resolve("keyfleet.jsa"));

            if (!Files.exists(configFile)) {
                writeIfChanged(configFile, CONFIG_TEMPLATE, "rw-r--r--");
                out.println("wrote " + configFile + ": set broker-url and ca-bundle before logins can work");
            }
            ClientConfig config = ClientConfig.load(configFile);
            if (run("id", "-u", COMMAND_USER) != 0) {
                Processes.require("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        COMMAND_USER);
            }
            Files.createDirectories(config.stateDir());
            Files.createDirectories(config.cacheDir());
            Processes.require("chown", COMMAND_USER, config.cacheDir().toString());
            Files.setPosixFilePermissions(config.cacheDir(), PosixFilePermissions.fromString("rwx------"));

            sshd.install(sshdDropIn(launcher), launcher + " authorized-keys", replace);
            writeIfChanged(SYSTEMD.resolve("keyfleet-sync.service"), syncService(launcher), "rw-r--r--");
            writeIfChanged(SYSTEMD.resolve("keyfleet-sync.timer"), SYNC_TIMER, "rw-r--r--");
            if (systemdRunning()) {
                Processes.require("systemctl", "daemon-reload");
                Processes.require("systemctl", "enable", "--now", "keyfleet-sync.timer");
                run("systemctl", "reload-or-restart", "ssh.service", "sshd.service");
            } else {
                out.println("systemd is not running here: enable keyfleet-sync.timer and reload sshd yourself");
            }
            out.println("installed in " + prefix + "; run 'keyfleet status' to check it");
            return 0;
        } catch (IOException | URISyntaxException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "install failed: " + e.getMessage(), e);
        }
    }

    int uninstall() throws Failure {
        try {
            if (systemdRunning()) {
                run("systemctl", "disable", "--now", "keyfleet-sync.timer");
            }
            if (sshd.uninstall()) {
                out.println("removed " + sshd.file() + "; sshd's configuration is as it was before install");
            }
            for (Path file : List.of(SYSTEMD.resolve("keyfleet-sync.timer"), SYSTEMD.resolve("keyfleet-sync.service"),
                    prefix.resolve("bin/keyfleet"), prefix.resolve("lib/keyfleet.jsa"), prefix.resolve("lib/keyfleet-client.jar"))) {
                if (Files.deleteIfExists(file)) {
                    out.println("removed " + file);
                }
            }
            if (systemdRunning()) {
                run("systemctl", "daemon-reload");
                run("systemctl", "reload-or-restart", "ssh.service", "sshd.service");
            }
            out.println("kept " + configFile + ", the cache, the " + COMMAND_USER + " user and every account sync created");
            return 0;
        } catch (IOException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "uninstall failed: " + e.getMessage(), e);
        }
    }

    static String launcher(Path jar, Path archive) {
        return """
                #!/bin/sh
                # Written by keyfleet install. Short-lived JVM tuned for start-up: C1 only, serial GC,
                # no perf data file, and the class-data-sharing archive built at install time. JVM
                # warnings go to stderr: stdout is sshd's and must carry key lines only.
                exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k \\
                  -Xlog:disable -Xlog:all=warning:stderr -XX:SharedArchiveFile=%s -Xshare:auto \\
                  -cp %s io.keyfleet.client.Main "$@"
                """.formatted(archive, jar);
    }

    static String sshdDropIn(Path launcher) {
        return """
                # Written by keyfleet install: SSH keys come from IAM through the Keyfleet broker.
                AuthorizedKeysCommand %s authorized-keys %%u
                AuthorizedKeysCommandUser %s
                """.formatted(launcher, COMMAND_USER);
    }

    static String syncService(Path launcher) {
        return """
                [Unit]
                Description=Keyfleet: make local accounts match the IAM roster
                Wants=network-online.target
                After=network-online.target

                [Service]
                Type=oneshot
                ExecStart=%s sync
                Nice=10
                """.formatted(launcher);
    }

    static final String SYNC_TIMER = """
            [Unit]
            Description=Keyfleet account sync, at boot and every 5 minutes

            [Timer]
            OnBootSec=15s
            OnUnitActiveSec=5min
            RandomizedDelaySec=60s

            [Install]
            WantedBy=timers.target
            """;

    static final String CONFIG_TEMPLATE = """
            # Keyfleet instance client. Every key but broker-url has a default; see README.
            broker-url = https://keyfleet.example.internal
            ca-bundle = /etc/keyfleet/broker-ca.pem
            # connect-timeout = 1s
            # request-timeout = 2500ms
            # imds-endpoint = http://169.254.169.254
            # cache-dir = /var/cache/keyfleet
            # state-dir = /var/lib/keyfleet
            # recent-answer-max-age = 10s
            # offline-max-age = 6h
            # removal-mode = lock
            # removal-guard = 10
            # uid-min = 2000
            # uid-max = 59999
            # marker-group = keyfleet-users
            # shell = /bin/bash
            # sudoers-file = /etc/sudoers.d/keyfleet
            """;

    /** A training run of the login path, recorded as a dynamic CDS archive. */
    private void buildSharedArchive(Path jar, Path archive) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:ArchiveClassesAtExit=" + archive,
                "-cp", jar.toString(), Main.class.getName(), "warm-up"));
        Processes.Result result = Processes.run(command.toArray(String[]::new));
        if (result.exit() != 0) {
            out.println("warning: could not build the class-data-sharing archive (" + result.output()
                    + "); logins start slower but work");
        }
    }

    private static void writeIfChanged(Path file, String content, String permissions) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(content)) {
            return;
        }
        Store.write(file, content, permissions);
    }

    private static Path runningJar() throws URISyntaxException, IOException {
        Path jar = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            throw new IOException("install runs from the client jar (java -jar keyfleet-client.jar install), not from " + jar);
        }
        return jar;
    }

    private static boolean systemdRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    private static int run(String... command) throws IOException {
        return Processes.run(command).exit();
    }
}
