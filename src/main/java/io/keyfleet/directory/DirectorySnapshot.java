package io.keyfleet.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, internally consistent view of the directory, built from one complete crawl and
 * replaced as a whole.
 *
 * @param takenAt when the crawl that produced it completed
 * @param source the {@link DirectorySource#name()} it came from
 * @param usersByLocalName every mapped user, keyed by Linux name
 * @param groups every crawled group name
 * @param keyCount the number of keys served across all users
 */
public record DirectorySnapshot(
        Instant takenAt, String source, Map<String, DirectoryUser> usersByLocalName, Set<String> groups, int keyCount) {

    public Duration age(Instant now) {
        return Duration.between(takenAt, now);
    }

    public int userCount() {
        return usersByLocalName.size();
    }
}
