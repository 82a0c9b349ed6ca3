package io.keyfleet.client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code keyfleet} command. {@link #main} only exits with {@link #run}'s code; {@code run} is
 * what tests call.
 */
public final class Main {

    private static final String USAGE = """
            usage: keyfleet [--config FILE] COMMAND
              authorized-keys USER    print USER's keys for sshd (AuthorizedKeysCommand)
              sync [--dry-run] [--force]
                                      make local accounts match the broker's roster
              status                  check config, IMDS, broker, cache and the last sync
              install [--prefix DIR | --packaged] [--sshd-config FILE] [--replace] [--uninstall]
                                      install (default prefix /opt/keyfleet) or remove the client;
                                      --replace takes the place of another AuthorizedKeysCommand;
                                      --packaged: the .deb/.rpm owns jar, launcher and units
            """;

    private Main() {}

    private static int install(List<String> options, Path configFile, PrintStream out) throws Failure {
        InstallCommand.Layout layout = InstallCommand.Layout.underPrefix(Path.of("/opt/keyfleet"));
        Path sshdConfig = SshdDropIn.DEFAULT_SSHD_CONFIG;
        boolean uninstall = false;
        boolean replace = false;
        for (int i = 0; i < options.size(); i++) {
            switch (options.get(i)) {
                case "--uninstall" -> uninstall = true;
                case "--replace" -> replace = true;
                case "--prefix" -> layout = InstallCommand.Layout.underPrefix(absolutePath(options, ++i, "--prefix"));
                case "--packaged" -> layout = InstallCommand.Layout.PACKAGED;
                case "--sshd-config" -> sshdConfig = absolutePath(options, ++i, "--sshd-config");
                default -> throw new Failure(Failure.USAGE, "unknown install option " + options.get(i));
            }
        }
        InstallCommand command = new InstallCommand(layout, configFile, sshdConfig, out);
        return uninstall ? command.uninstall() : command.install(replace);
    }

    private static Path absolutePath(List<String> options, int index, String option) throws Failure {
        if (index >= options.size() || !Path.of(options.get(index)).isAbsolute()) {
            throw new Failure(Failure.USAGE, option + " takes an absolute path");
        }
        return Path.of(options.get(index));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> words = Arrays.asList(args);
        Path configFile = Path.of(env.getOrDefault("KEYFLEET_CONFIG", ClientConfig.DEFAULT_PATH.toString()));
        if (words.size() >= 2 && words.get(0).equals("--config")) {
            configFile = Path.of(words.get(1));
            words = words.subList(2, words.size());
        }
        try {
            if (words.isEmpty()) {
                throw new Failure(Failure.USAGE, "no command");
            }
            String command = words.get(0);
            List<String> rest = words.subList(1, words.size());
            Clock clock = Clock.systemUTC();
            return switch (command) {
                case "authorized-keys" -> {
                    if (rest.size() != 1) {
                        throw new Failure(Failure.USAGE, "authorized-keys takes exactly one user name");
                    }
                    yield new AuthorizedKeysCommand(ClientConfig.load(configFile), clock, out, err).run(rest.get(0));
                }
                case "sync" -> {
                    for (String flag : rest) {
                        if (!flag.equals("--dry-run") && !flag.equals("--force")) {
                            throw new Failure(Failure.USAGE, "unknown sync option " + flag);
                        }
                    }
                    yield new SyncCommand(ClientConfig.load(configFile), Path.of("/etc"), clock, out)
                            .run(rest.contains("--dry-run"), rest.contains("--force"));
                }
                case "status" -> new StatusCommand(ClientConfig.load(configFile), clock, out).run();
                case "install" -> install(rest, configFile, out);
                case "warm-up" -> WarmUp.run();
                default -> throw new Failure(Failure.USAGE, "unknown command " + Names.printable(command));
            };
        } catch (Failure f) {
            err.println("keyfleet: " + f.getMessage());
            if (f.exitCode() == Failure.USAGE) {
                err.print(USAGE);
            }
            return f.exitCode();
        } catch (Exception e) {
            err.println("keyfleet: internal error: " + e);
            return Failure.INTERNAL;
        }
    }
}
