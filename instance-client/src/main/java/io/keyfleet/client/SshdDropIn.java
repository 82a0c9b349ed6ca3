package io.keyfleet.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keyfleet's place in sshd's configuration: one drop-in next to sshd_config, never an edit of a file
 * the distribution owns, so uninstalling gives back the previous configuration byte for byte. sshd
 * accepts a single AuthorizedKeysCommand; an existing one (EC2 Instance Connect sets one on Amazon
 * Linux and Ubuntu) is only overridden with {@code --replace}, and sshd's effective configuration
 * ({@code sshd -T}) is checked to really run Keyfleet's before the change is kept.
 */
final class SshdDropIn {

    static final Path DEFAULT_SSHD_CONFIG = Path.of("/etc/ssh/sshd_config");
    private static final List<Path> UNIT_DIRS = List.of(Path.of("/etc/systemd/system"), Path.of("/run/systemd/system"),
            Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"));

    private final Path sshdConfig;
    private final Path dropIn;

    SshdDropIn(Path sshdConfig) {
        this.sshdConfig = sshdConfig;
        this.dropIn = sshdConfig.resolveSibling("sshd_config.d").resolve("50-keyfleet.conf");
    }

    Path file() {
        return dropIn;
    }

    void install(String content, String ourCommand, boolean replace) throws Failure, IOException {
        List<Path> units = unitsSettingACommand();
        if (!units.isEmpty()) {
            throw new Failure(Failure.UNEXPECTED_STATE, "sshd is started with its own AuthorizedKeysCommand by " + units
                    + " (EC2 Instance Connect does this on Ubuntu); command-line options beat any configuration file. Remove or mask "
                    + "that drop-in, then install again");
        }
        Optional<String> current = effective("authorizedkeyscommand").filter(c -> !c.equals("none"));
        if (current.isPresent() && !current.get().startsWith(ourCommand) && !replace) {
            throw new Failure(Failure.UNEXPECTED_STATE, "sshd already runs AuthorizedKeysCommand '" + current.get() + "' as "
                    + effective("authorizedkeyscommanduser").orElse("?") + " (EC2 Instance Connect sets one); sshd accepts only one. "
                    + "Install with --replace to use Keyfleet's instead; --uninstall gives the old one back");
        }
        String previous = Files.exists(dropIn) ? Files.readString(dropIn) : null;
        if (!content.equals(previous)) {
            Store.write(dropIn, content, "rw-r--r--");
        }
        Processes.Result check = Processes.run("sshd", "-t", "-f", sshdConfig.toString());
        Optional<String> now = check.exit() == 0 ? effective("authorizedkeyscommand") : Optional.empty();
        if (check.exit() != 0 || now.isEmpty() || !now.get().startsWith(ourCommand)) {
            if (previous == null) {
                Files.deleteIfExists(dropIn);
            } else {
                Store.write(dropIn, previous, "rw-r--r--");
            }
            throw new Failure(Failure.UNEXPECTED_STATE, check.exit() != 0
                    ? "sshd -t rejects the configuration with " + dropIn + " (" + check.output() + "); put back as it was"
                    : "sshd does not use " + dropIn + ": " + sshdConfig + " must 'Include " + dropIn.getParent()
                            + "/*.conf' before any AuthorizedKeysCommand line. Put back as it was");
        }
    }

    boolean uninstall() throws IOException {
        return Files.deleteIfExists(dropIn);
    }

    /** A keyword's value in sshd's effective configuration, lower-case keyword as {@code sshd -T} prints it. */
    private Optional<String> effective(String keyword) throws IOException {
        Processes.Result result = Processes.run("sshd", "-T", "-f", sshdConfig.toString());
        if (result.exit() != 0) {
            return Optional.empty();
        }
        for (String line : result.output().split("\n")) {
            if (line.startsWith(keyword + " ")) {
                return Optional.of(line.substring(keyword.length() + 1).strip());
            }
        }
        return Optional.empty();
    }

    /** ssh/sshd unit files and drop-ins that pass -o AuthorizedKeysCommand=… on sshd's command line. */
    private static List<Path> unitsSettingACommand() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : UNIT_DIRS) {
            for (String unit : new String[] {"ssh.service", "sshd.service"}) {
                List<Path> candidates = new ArrayList<>(List.of(dir.resolve(unit)));
                Path dropIns = dir.resolve(unit + ".d");
                if (Files.isDirectory(dropIns)) {
                    try (Stream<Path> files = Files.list(dropIns)) {
                        files.filter(f -> f.toString().endsWith(".conf")).forEach(candidates::add);
                    }
                }
                for (Path file : candidates) {
                    if (Files.isRegularFile(file) && Files.readString(file).contains("AuthorizedKeysCommand")) {
                        found.add(file);
                    }
                }
            }
        }
        return found;
    }
}
