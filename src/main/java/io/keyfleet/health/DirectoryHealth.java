package io.keyfleet.health;

import io.keyfleet.directory.Directory;
import io.keyfleet.directory.DirectoryConfig;
import io.keyfleet.directory.DirectorySnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness follows the directory: DOWN until the first complete crawl and whenever the served
 * snapshot is older than {@code keyfleet.directory.max-staleness}. Liveness only reports; it never
 * fails because of IAM, so an IAM outage does not make Kubernetes restart healthy replicas.
 */
@ApplicationScoped
public class DirectoryHealth {

    private final Directory directory;
    private final DirectoryConfig config;

    DirectoryHealth(Directory directory, DirectoryConfig config) {
        this.directory = directory;
        this.config = config;
    }

    @Readiness
    HealthCheck ready() {
        return () -> {
            HealthCheckResponseBuilder response = describe();
            Optional<Duration> age = directory.snapshotAge();
            if (age.isEmpty()) {
                return response.down().withData("reason", "no complete crawl yet").build();
            }
            if (age.get().compareTo(config.maxStaleness()) > 0) {
                return response.down().withData("reason", "snapshot older than " + config.maxStaleness()).build();
            }
            return response.up().build();
        };
    }

    @Liveness
    HealthCheck alive() {
        return () -> describe().up().build();
    }

    private HealthCheckResponseBuilder describe() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("directory").withData("source", directory.sourceName());
        directory.snapshot().ifPresent((DirectorySnapshot s) -> response
                .withData("snapshotTakenAt", s.takenAt().toString())
                .withData("users", s.userCount())
                .withData("groups", s.groups().size())
                .withData("keys", s.keyCount()));
        directory.snapshotAge().ifPresent(age -> response.withData("snapshotAgeSeconds", age.toSeconds()));
        directory.lastFailure().ifPresent(f -> response
                .withData("lastFailureAt", f.at().toString())
                .withData("lastFailure", f.message()));
        return response;
    }
}
