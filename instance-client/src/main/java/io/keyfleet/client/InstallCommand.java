package io.keyfleet.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code keyfleet install [--prefix DIR | --packaged] [--sshd-config FILE] [--replace] [--uninstall]}:
 * puts the client where sshd accepts it (a root-owned path), with its launcher, a class-data-sharing
 * archive for fast starts, the AuthorizedKeysCommandUser, the sshd drop-in, and the systemd units
 * that run sync. With {@code --packaged} (the .deb/.rpm maintainer scripts) the package owns the
 * jar, launcher and units, and install does the rest. Idempotent; never overwrites an existing
 * client.conf; sshd is only reloaded after its configuration checks out (see {@link SshdDropIn}).
 */
final class InstallCommand {

    static final String COMMAND_USER = "keyfleet";
    static final Path SYSTEMD = Path.of("/etc/systemd/system");

    /** Where the client's files live: unpacked by install itself, or owned by a package. */
    record Layout(Path jar, Path launcher, Path archive, boolean ownsFiles) {

        static Layout underPrefix(Path prefix) {
            return new Layout(prefix.resolve("lib/keyfleet-client.jar"), prefix.resolve("bin/keyfleet"),
                    prefix.resolve("lib/keyfleet.jsa"), true);
        }

        /** Keep in step with the package build in instance-client/pom.xml. */
        static final Layout PACKAGED = new Layout(Path.of("/usr/share/keyfleet/keyfleet-client.jar"), Path.of("/usr/bin/keyfleet"),
                Path.of("/var/lib/keyfleet/keyfleet.jsa"), false);
    }

    private final Layout layout;
    private final Path configFile;
    private final SshdDropIn sshd;
    private final PrintStream out;

    InstallCommand(Layout layout, Path configFile, Path sshdConfig, PrintStream out) {
        this.layout = layout;
        this.configFile = configFile;
        this.sshd = new SshdDropIn(sshdConfig);
        this.out = out;
    }

    /** @param replace take the place of another AuthorizedKeysCommand (EC2 Instance Connect's) */
    int install(boolean replace) throws Failure {
        try {
            if (layout.ownsFiles()) {
                Files.createDirectories(layout.jar().getParent());
                Path running = runningJar();
                if (!running.equals(layout.jar())) {
                    Files.copy(running, layout.jar(), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(layout.jar(), PosixFilePermissions.fromString("rw-r--r--"));
                writeIfChanged(layout.launcher(), launcher(layout), "rwxr-xr-x");
                writeIfChanged(SYSTEMD.resolve("keyfleet-sync.service"), render("keyfleet-sync.service",
                        Map.of("keyfleet.launcher", layout.launcher().toString())), "rw-r--r--");
                writeIfChanged(SYSTEMD.resolve("keyfleet-sync.timer"), file("keyfleet-sync.timer"), "rw-r--r--");
            }
            buildSharedArchive();

            if (!Files.exists(configFile)) {
                writeIfChanged(configFile, file("client.conf"), "rw-r--r--");
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

            sshd.install(sshdDropIn(layout.launcher()), layout.launcher() + " authorized-keys", replace);
            if (systemdRunning()) {
                Processes.require("systemctl", "daemon-reload");
                Processes.require("systemctl", "enable", "--now", "keyfleet-sync.timer");
                run("systemctl", "reload-or-restart", "ssh.service", "sshd.service");
            } else {
                out.println("systemd is not running here: enable keyfleet-sync.timer and reload sshd yourself");
            }
            out.println("installed " + layout.launcher() + "; run 'keyfleet status' to check it");
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
            List<Path> ours = new ArrayList<>(List.of(layout.archive()));
            if (layout.ownsFiles()) {
                ours.addAll(List.of(SYSTEMD.resolve("keyfleet-sync.timer"), SYSTEMD.resolve("keyfleet-sync.service"), layout.launcher(),
                        layout.jar()));
            }
            for (Path file : ours) {
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

    static String launcher(Layout layout) {
        return render("keyfleet.sh", Map.of("keyfleet.archive", layout.archive().toString(), "keyfleet.jar", layout.jar().toString()));
    }

    static String sshdDropIn(Path launcher) {
        return """
                # Written by keyfleet install: SSH keys come from IAM through the Keyfleet broker.
                AuthorizedKeysCommand %s authorized-keys %%u
                AuthorizedKeysCommandUser %s
                """.formatted(launcher, COMMAND_USER);
    }

    /**
     * A file shipped in the jar under files/, shared with the package build, which fills the same
     * ${...} placeholders with Maven resource filtering.
     */
    static String file(String name) throws IOException {
        try (InputStream in = InstallCommand.class.getResourceAsStream("files/" + name)) {
            if (in == null) {
                throw new IOException("the client jar lacks files/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String render(String name, Map<String, String> values) {
        try {
            String text = file(name);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A static class-data-sharing archive of every class a training run of the login paths loads,
     * JDK and Keyfleet alike: it replaces the JDK's default archive, so a login maps one archive
     * (measured: 1.03x a JVM hello, against 1.19x with a dynamic archive on top of the default).
     * It must be rebuilt when the JDK changes; until then the JVM quietly runs without it.
     */
    private void buildSharedArchive() throws IOException {
        Files.createDirectories(layout.archive().getParent());
        Path classList = layout.archive().resolveSibling("keyfleet.classlist");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Processes.Result listed = Processes.run(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
                "-XX:DumpLoadedClassList=" + classList, "-cp", layout.jar().toString(), Main.class.getName(), "warm-up");
        Processes.Result dumped = listed.exit() != 0 ? listed : Processes.run(java, "-XX:+UseSerialGC", "-Xlog:disable", "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + layout.archive(), "-cp", layout.jar().toString());
        Files.deleteIfExists(classList);
        if (dumped.exit() != 0) {
            out.println("warning: could not build the class-data-sharing archive (" + dumped.output()
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
