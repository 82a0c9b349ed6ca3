package io.keyfleet.directory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * Fleet-wide UIDs: every IAM user gets the same UID (and a primary group with the same GID) on
 * every instance, derived from the immutable IAM user id, so shared volumes, audit trails and
 * file ownership agree across machines.
 */
@ConfigMapping(prefix = "keyfleet.uids")
public interface UidConfig {

    /** Assign fleet UIDs; off: instances number users themselves, as useradd does. */
    @WithDefault("true")
    boolean enabled();

    /** First UID of the range hashed into. Keep it clear of the distribution's local users (1000–59999). */
    @WithDefault("1000000")
    int rangeStart();

    /**
     * Size of the range. With n users about n²/(2·size) of them collide and cannot be placed
     * (10,000 users in the default 10,000,000: about 5); pin those.
     */
    @WithDefault("10000000")
    int rangeSize();

    /**
     * UIDs pinned by IAM user id: {@code keyfleet.uids.pinned."AIDA…"=1000123}. A pin wins over the
     * hashed place of any other user; use it for users who collide and for legacy UIDs.
     */
    Map<String, Integer> pinned();
}
