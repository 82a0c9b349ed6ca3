package io.keyfleet.directory;

import io.keyfleet.directory.SnapshotAssembler.Assembly;
import io.keyfleet.directory.SnapshotAssembler.Problem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Holds the served {@link DirectorySnapshot} and replaces it after each complete crawl. Readers
 * never lock: they take the current snapshot and keep a consistent view for as long as they need.
 */
@ApplicationScoped
public class Directory {

    private static final Logger LOG = Logger.getLogger(Directory.class);

    /** Removing this many users or keys at once is ordinary, whatever the share: small teams do it. */
    static final int SMALL_CHANGE = 5;

    /** The last crawl that did not produce a snapshot, for health and logs. */
    public record Failure(Instant at, String message) {}

    private final DirectorySource source;
    private final SnapshotAssembler assembler;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicReference<DirectorySnapshot> current = new AtomicReference<>();
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();
    private final AtomicReference<List<Problem>> currentProblems = new AtomicReference<>(List.of());
    private final ReentrantLock crawlLock = new ReentrantLock();
    private final double maxShrink;
    private volatile boolean heldBack;

    Directory(DirectorySource source, SnapshotAssembler assembler, DirectoryConfig config, Clock clock, MeterRegistry registry) {
        this.source = source;
        this.assembler = assembler;
        this.maxShrink = config.maxShrink();
        this.clock = clock;
        this.registry = registry;
        Gauge.builder("keyfleet.directory.users", this, d -> d.snapshot().map(DirectorySnapshot::userCount).orElse(0))
                .description("Users in the served snapshot").register(registry);
        Gauge.builder("keyfleet.directory.keys", this, d -> d.snapshot().map(DirectorySnapshot::keyCount).orElse(0))
                .description("Keys in the served snapshot").register(registry);
        Gauge.builder("keyfleet.directory.groups", this, d -> d.snapshot().map(s -> s.groups().size()).orElse(0))
                .description("Groups in the served snapshot").register(registry);
        Gauge.builder("keyfleet.directory.snapshot.age", this, d -> d.snapshotAge().map(Duration::toMillis).orElse(-1L) / 1000.0)
                .baseUnit("seconds").description("Age of the served snapshot; -1 before the first crawl").register(registry);
        Gauge.builder("keyfleet.directory.held.back", this, d -> d.heldBack ? 1 : 0)
                .description("1 while the last crawl was held back for shrinking more than max-shrink").register(registry);
        Gauge.builder("keyfleet.directory.uids.unplaced", this, d -> d.droppedCount("unplaced-uid"))
                .description("Users served without a fleet UID because theirs collides; pin them").register(registry);
        for (String kind : List.of("unmappable-name", "name-collision", "invalid-key")) {
            Gauge.builder("keyfleet.directory.dropped", this, d -> d.droppedCount(kind)).tag("kind", kind)
                    .description("Users or keys left out of the served snapshot").register(registry);
        }
    }

    /** The served snapshot; empty until the first crawl completed. */
    public Optional<DirectorySnapshot> snapshot() {
        return Optional.ofNullable(current.get());
    }

    public Optional<Duration> snapshotAge() {
        return snapshot().map(s -> s.age(clock.instant()));
    }

    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    public String sourceName() {
        return source.name();
    }

    @Scheduled(identity = "directory-refresh", every = "${keyfleet.directory.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    /**
     * Crawls the source and, only if the crawl completed, serves the result. Never throws: a failure
     * is logged, counted and kept for health, and the previous snapshot stays in service.
     *
     * @return true when a new snapshot is being served
     */
    public boolean refresh() {
        crawlLock.lock();
        try {
            return crawlAndSwap();
        } finally {
            crawlLock.unlock();
        }
    }

    private boolean crawlAndSwap() {
        long started = System.nanoTime();
        Crawl crawl;
        try {
            crawl = source.crawl();
        } catch (Exception e) {
            record(started, "failure");
            Failure failure = new Failure(clock.instant(), describe(e));
            lastFailure.set(failure);
            LOG.errorf("Directory crawl from %s failed, still serving the snapshot from %s: %s",
                    source.name(), snapshot().map(s -> s.takenAt().toString()).orElse("nowhere (none yet)"), failure.message());
            LOG.debug("Crawl failure", e);
            return false;
        }
        Assembly assembly = assembler.assemble(crawl, source.name(), clock.instant());
        Optional<String> shrink = tooMuchShrink(current.get(), assembly.snapshot(), maxShrink);
        if (shrink.isPresent()) {
            record(started, "held-back");
            heldBack = true;
            lastFailure.set(new Failure(clock.instant(), "crawl held back: " + shrink.get()));
            LOG.errorf("Directory crawl from %s held back, still serving the snapshot from %s: %s. If this is a deliberate "
                    + "removal, set keyfleet.directory.max-shrink=1 for one crawl", source.name(), current.get().takenAt(), shrink.get());
            return false;
        }
        heldBack = false;
        logNewProblems(assembly.problems());
        currentProblems.set(assembly.problems());
        current.set(assembly.snapshot());
        lastFailure.set(null);
        Duration took = record(started, "success");
        DirectorySnapshot s = assembly.snapshot();
        LOG.infof("Directory crawl from %s took %d ms: %d users, %d groups, %d keys, %d dropped",
                source.name(), took.toMillis(), s.userCount(), s.groups().size(), s.keyCount(), assembly.problems().size());
        return true;
    }

    /** Why {@code next} may not replace {@code served}, if it shrinks by more than {@code maxShrink}. */
    static Optional<String> tooMuchShrink(DirectorySnapshot served, DirectorySnapshot next, double maxShrink) {
        if (served == null) {
            return Optional.empty();
        }
        if (shrinks(served.userCount(), next.userCount(), maxShrink)) {
            return Optional.of("users would drop from " + served.userCount() + " to " + next.userCount());
        }
        if (shrinks(served.keyCount(), next.keyCount(), maxShrink)) {
            return Optional.of("keys would drop from " + served.keyCount() + " to " + next.keyCount());
        }
        return Optional.empty();
    }

    /** Emptying is always suspect; otherwise a shrink counts when it is large in both share and number. */
    private static boolean shrinks(int before, int after, double maxShrink) {
        int lost = before - after;
        return lost > 0 && (after == 0 || (lost > maxShrink * before && lost > SMALL_CHANGE));
    }

    private Duration record(long startedNanos, String outcome) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        Timer.builder("keyfleet.directory.crawl").tag("outcome", outcome).tag("source", source.name())
                .description("Directory crawls, whole or failed").register(registry).record(took);
        return took;
    }

    /** Each problem is logged once when it appears, not again on every crawl while it persists. */
    private void logNewProblems(List<Problem> problems) {
        Set<Problem> previous = new HashSet<>(currentProblems.get());
        for (Problem p : problems) {
            if (previous.contains(p)) {
                continue;
            }
            LOG.warn(p.describe());
        }
    }

    private double droppedCount(String kind) {
        return currentProblems.get().stream().filter(p -> p.kind().equals(kind)).count();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
