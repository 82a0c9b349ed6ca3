package io.keyfleet.directory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** How the broker builds and serves its directory snapshot. */
@ConfigMapping(prefix = "keyfleet.directory")
public interface DirectoryConfig {

    /** Where users, groups and keys come from. */
    @WithDefault("iam")
    SourceType source();

    /** The YAML directory read when {@code source=file}; see {@code dev/directory.yaml} for the format. */
    Optional<Path> file();

    /**
     * Time between the end of one crawl and the start of the next scheduled one, e.g. {@code 5m};
     * {@code off} disables scheduled crawls. The first crawl starts with the broker.
     */
    @WithDefault("5m")
    String refreshInterval();

    /**
     * Readiness reports DOWN while the served snapshot is older than this, so a load balancer stops
     * sending logins to a replica that lost IAM for too long. Keep it a few refresh intervals.
     */
    @WithDefault("30m")
    Duration maxStaleness();

    /**
     * A crawl with this fraction fewer users or keys than the served snapshot (and more than 5
     * fewer), or with none at all, is held back, not served: an IAM that suddenly answers with
     * nobody must not lock the fleet out. It is logged,
     * counted and shown in health; the old snapshot stays until readiness reports it stale. After a
     * deliberate mass removal, confirm it by setting 1 (accept any shrink), then set it back.
     */
    @WithDefault("0.25")
    double maxShrink();

    /**
     * At login, a user whose view in the snapshot is older than this is re-read from the source
     * (their groups and keys only), so a key deleted or deactivated in IAM stops working at the next
     * login instead of the next crawl.
     */
    @WithDefault("5s")
    Duration loginRevalidationAge();

    /**
     * How long a login waits for that re-read before answering from the snapshot; keep it well
     * under the instance client's own bound.
     */
    @WithDefault("1500ms")
    Duration loginRevalidationTimeout();

    /** Linux names no IAM user may be mapped to, on top of the built-in list of system accounts. */
    Optional<Set<String>> reservedNames();

    enum SourceType {
        /** AWS IAM, through the SDK; see {@code keyfleet.iam.*}. */
        IAM,
        /** A YAML file, for dev mode and for teams without IAM. */
        FILE
    }
}
