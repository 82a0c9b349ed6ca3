package io.keyfleet.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keyfleet.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Keeps a user's keys and groups fresh at login without putting the whole fleet on IAM: a user whose
 * view is older than {@code keyfleet.directory.login-revalidation-age} is re-read once, and every
 * login of that user, on any instance, shares that answer for the same period. IAM calls therefore
 * grow with the number of people logging in, not with the number of instances.
 */
@ApplicationScoped
public class LoginRevalidation {

    private static final Logger LOG = Logger.getLogger(LoginRevalidation.class);

    private record Checked(Instant at, Optional<DirectoryUser> user) {}

    private final DirectorySource source;
    private final SnapshotAssembler assembler;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ManagedExecutor executor;
    private final Duration maxAge;
    private final Duration timeout;
    private final Cache<String, Checked> checked;
    private final Map<String, CompletableFuture<Checked>> inFlight = new ConcurrentHashMap<>();

    LoginRevalidation(DirectorySource source, SnapshotAssembler assembler, DirectoryConfig config, Clock clock,
            MeterRegistry registry, ManagedExecutor executor) {
        this.source = source;
        this.assembler = assembler;
        this.clock = clock;
        this.registry = registry;
        this.executor = executor;
        this.maxAge = config.loginRevalidationAge();
        this.timeout = config.loginRevalidationTimeout();
        this.checked = Caffeine.newBuilder().expireAfterWrite(maxAge.multipliedBy(2)).maximumSize(100_000).build();
    }

    /**
     * The user as the source sees them now, within the freshness bound; empty when they were deleted
     * or renamed. When the source cannot answer in time, the snapshot's view is served and counted.
     */
    public Optional<DirectoryUser> current(DirectorySnapshot snapshot, DirectoryUser user) {
        Instant now = clock.instant();
        if (isFresh(snapshot.takenAt(), now)) {
            return Optional.of(user);
        }
        Checked known = checked.getIfPresent(user.userId());
        if (known != null && known.at().isAfter(snapshot.takenAt()) && isFresh(known.at(), now)) {
            return known.user();
        }
        try {
            return recheck(snapshot, user).get(timeout.toMillis(), TimeUnit.MILLISECONDS).user();
        } catch (TimeoutException | ExecutionException e) {
            count("source-unavailable");
            LOG.warnf("Could not revalidate %s at login, answering from the snapshot of %s: %s",
                    LogSafe.quote(user.iamName()), snapshot.takenAt(), e instanceof ExecutionException ? e.getCause() : "timed out");
            return Optional.of(user);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(user);
        }
    }

    private boolean isFresh(Instant at, Instant now) {
        return Duration.between(at, now).compareTo(maxAge) <= 0;
    }

    /** Single flight: concurrent logins of one user wait for the same read. */
    private CompletableFuture<Checked> recheck(DirectorySnapshot snapshot, DirectoryUser user) {
        CompletableFuture<Checked> mine = new CompletableFuture<>();
        CompletableFuture<Checked> running = inFlight.putIfAbsent(user.userId(), mine);
        if (running != null) {
            count("shared");
            return running;
        }
        executor.execute(() -> {
            try {
                Instant started = clock.instant();
                Optional<DirectoryUser> fresh = source.readUser(user.userId(), user.iamName())
                        .flatMap(u -> assembler.assembleUser(u, user, snapshot.groups()));
                Checked result = new Checked(started, fresh);
                checked.put(user.userId(), result);
                count(fresh.isPresent() ? "revalidated" : "gone");
                mine.complete(result);
            } catch (Throwable e) {
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(user.userId(), mine);
            }
        });
        return mine;
    }

    private void count(String outcome) {
        registry.counter("keyfleet.login.revalidations", "outcome", outcome).increment();
    }
}
