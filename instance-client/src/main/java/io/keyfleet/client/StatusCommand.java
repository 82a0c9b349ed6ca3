package io.keyfleet.client;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code keyfleet status}: configuration, IMDS, broker, cache age and the last sync, one line each.
 * Exit 0 when logins are served live; 3 when they depend on the cache or fail.
 */
final class StatusCommand {

    private final ClientConfig config;
    private final Clock clock;
    private final PrintStream out;

    StatusCommand(ClientConfig config, Clock clock, PrintStream out) {
        this.config = config;
        this.clock = clock;
        this.out = out;
    }

    int run() {
        boolean healthy = true;
        out.println("config:      ok (broker " + config.brokerUrl() + ")");
        BrokerSession session = new BrokerSession(config, config.stateDir().resolve("identity"), clock);
        Deadline deadline = Deadline.in(Duration.ofSeconds(5));
        try {
            out.println("imds:        ok (instance " + session.instanceId(deadline) + ")");
            Http.Response response = session.get("v1/roster", Map.of(), deadline);
            healthy &= response.status() == 200;
            out.println("broker:      " + (response.status() == 200 ? "ok" : "HTTP " + response.status() + " "
                    + Names.printable(response.body())));
        } catch (Failure | IOException e) {
            healthy = false;
            out.println("broker:      unreachable (" + e.getMessage() + ")");
        }
        Optional<Store.Entry> roster = read("roster.json");
        if (roster.isEmpty()) {
            out.println("cache:       none: logins fail while the broker is unreachable");
        } else {
            boolean usable = roster.get().age().compareTo(config.offlineMaxAge()) <= 0;
            out.println("cache:       roster " + roster.get().age().toSeconds() + " s old, "
                    + (usable ? "usable offline for " + config.offlineMaxAge().minus(roster.get().age()).toMinutes() + " more min"
                            : "too old for offline logins (offline-max-age " + config.offlineMaxAge() + ")"));
        }
        Optional<Store.Entry> lastSync = read("last-sync");
        String last = lastSync.map(e -> e.text().strip()).orElse("never");
        healthy &= lastSync.isPresent() && !last.contains(" failed");
        out.println("last sync:   " + last);
        out.println(healthy ? "status:      healthy" : "status:      DEGRADED");
        return healthy ? 0 : Failure.UNEXPECTED_STATE;
    }

    private Optional<Store.Entry> read(String name) {
        try {
            return Store.read(config.stateDir().resolve(name), clock.instant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
