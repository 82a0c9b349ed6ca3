package io.keyfleet.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code keyfleet sync [--dry-run] [--force]}: makes local accounts, groups and the sudoers drop-in
 * match the broker's roster. A broker fault changes nothing; an empty roster, or more removals than
 * {@code removal-guard}, needs {@code --force}. Runs are serialised by a lock file and idempotent.
 */
final class SyncCommand {

    private static final Duration BROKER_BUDGET = Duration.ofSeconds(30);

    private final ClientConfig config;
    private final Path etc;
    private final Clock clock;
    private final PrintStream out;

    SyncCommand(ClientConfig config, Path etc, Clock clock, PrintStream out) {
        this.config = config;
        this.etc = etc;
        this.clock = clock;
        this.out = out;
    }

    int run(boolean dryRun, boolean force) throws Failure {
        Path state = config.stateDir();
        try {
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "cannot create " + state + ": " + e.getMessage());
        }
        try (FileChannel channel = FileChannel.open(state.resolve("sync.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new Failure(Failure.UNEXPECTED_STATE, "another keyfleet sync is running");
            }
            try {
                String outcome = syncLocked(dryRun, force);
                if (!dryRun) {
                    recordOutcome(outcome);
                }
                return 0;
            } catch (Failure | IOException e) {
                if (!dryRun) {
                    recordOutcome("failed: " + e.getMessage());
                }
                throw e;
            }
        } catch (IOException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "sync failed: " + e.getMessage(), e);
        }
    }

    private String syncLocked(boolean dryRun, boolean force) throws Failure, IOException {
        removeLeftovers();
        Roster roster = fetchRoster();
        LocalAccounts local = LocalAccounts.read(etc);
        SyncPlan plan = SyncPlan.compute(local, roster, config);
        long managed = local.accounts().values().stream().filter(a -> SyncPlan.isManaged(a, config)).count();
        if (roster.users().isEmpty() && managed > 0 && !force) {
            throw new Failure(Failure.UNEXPECTED_STATE, "the broker's roster is empty but " + managed
                    + " managed accounts exist here; refusing to remove them all (confirm with --force)");
        }
        if (plan.removals() > config.removalGuard() && !force) {
            throw new Failure(Failure.UNEXPECTED_STATE, "the plan removes " + plan.removals() + " accounts, more than removal-guard "
                    + config.removalGuard() + "; refusing (confirm with --force)");
        }
        plan.notes().forEach(n -> out.println("note: " + n));
        plan.actions().forEach(a -> out.println((dryRun ? "would " : "") + describe(a)));
        if (dryRun) {
            return "dry-run";
        }
        ShadowUtils tools = new ShadowUtils(config);
        tools.ensureMarkerGroup(local);
        IOException firstError = null;
        for (SyncPlan.Action action : plan.actions()) {
            try {
                tools.apply(action);
            } catch (IOException e) {
                out.println("error: " + e.getMessage());
                firstError = firstError == null ? e : firstError;
            }
        }
        tools.writeSudoers(plan.sudoers());
        if (firstError != null) {
            throw firstError;
        }
        String summary = plan.actions().size() + " changes, " + roster.users().size() + " users";
        out.println("sync done: " + summary);
        return "ok: " + summary;
    }

    /** The broker's roster, or the cached one when it answered 304; any fault is a Failure, never an empty roster. */
    private Roster fetchRoster() throws Failure, IOException {
        Path rosterFile = config.stateDir().resolve("roster.json");
        Path etagFile = config.stateDir().resolve("roster.etag");
        Optional<Store.Entry> cached = Store.read(rosterFile, clock.instant());
        Optional<Store.Entry> etag = cached.isPresent() ? Store.read(etagFile, clock.instant()) : Optional.empty();
        BrokerSession session = new BrokerSession(config, config.stateDir().resolve("identity"), clock);
        Http.Response response;
        try {
            response = session.get("v1/roster", etag.map(e -> Map.of("If-None-Match", e.text().strip())).orElse(Map.of()),
                    Deadline.in(BROKER_BUDGET));
        } catch (IOException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "broker unavailable, nothing changed: " + e.getMessage());
        }
        try {
            if (response.status() == 304 && cached.isPresent()) {
                Roster roster = Roster.parse(cached.get().text());
                Files.setLastModifiedTime(rosterFile, FileTime.from(clock.instant())); // its age is what offline answers go by
                return roster;
            }
            if (response.status() != 200) {
                throw new Failure(Failure.UNEXPECTED_STATE, "broker answered HTTP " + response.status() + ", nothing changed: "
                        + Names.printable(response.body()));
            }
            Roster roster = Roster.parse(response.body());
            Store.write(rosterFile, response.body(), "rw-r--r--");
            String newEtag = response.header("ETag");
            if (newEtag != null) {
                Store.write(etagFile, newEtag, "rw-r--r--");
            }
            return roster;
        } catch (Roster.InvalidRosterException e) {
            throw new Failure(Failure.UNEXPECTED_STATE, "broker sent a roster that cannot be trusted, nothing changed: " + e.getMessage());
        }
    }

    /**
     * A sync killed mid-write leaves its temporary file behind (the target itself is always whole).
     * Under the lock no other sync is writing, so any such file is a leftover.
     */
    private void removeLeftovers() throws IOException {
        for (Path dir : new Path[] {config.stateDir(), config.sudoersFile().getParent()}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    boolean ours = dir.equals(config.stateDir()) || name.startsWith("." + config.sudoersFile().getFileName() + ".");
                    if (ours && name.startsWith(".") && name.endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    private void recordOutcome(String outcome) {
        try {
            Store.write(config.stateDir().resolve("last-sync"), clock.instant() + " " + outcome + "\n", "rw-r--r--");
        } catch (IOException e) {
            out.println("warning: cannot record the sync outcome: " + e.getMessage());
        }
    }

    private static String describe(SyncPlan.Action action) {
        if (action instanceof SyncPlan.Create c) {
            return "create " + c.user() + " (" + c.comment() + ")" + (c.uid() == null ? "" : " uid " + c.uid()) + " in "
                    + String.join(",", c.groups());
        }
        if (action instanceof SyncPlan.SetGroups g) {
            return "set groups of " + g.user() + " to " + String.join(",", g.groups());
        }
        if (action instanceof SyncPlan.Remove r) {
            return (r.mode() == ClientConfig.RemovalMode.DELETE ? "delete " : "lock ") + r.user();
        }
        return action.getClass().getSimpleName().toLowerCase() + " " + action.user();
    }
}
