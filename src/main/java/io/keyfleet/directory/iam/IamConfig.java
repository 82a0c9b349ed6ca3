package io.keyfleet.directory.iam;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the broker reads IAM. Region, endpoint and base credentials are the extension's
 * {@code quarkus.iam.*} settings; these are Keyfleet's own.
 */
@ConfigMapping(prefix = "keyfleet.iam")
public interface IamConfig {

    /**
     * IAM groups to crawl. Only their members are read, which costs one GetGroup per group (and page)
     * instead of listing every group of the account. Empty: every group (ListGroups).
     */
    Optional<List<String>> groups();

    /**
     * A role to assume (STS AssumeRole) before reading IAM, for a central identity account that
     * holds the users while the broker runs elsewhere. Empty: the broker's own credentials.
     */
    Optional<String> assumeRoleArn();

    /** The external id the role's trust policy requires, if any. */
    Optional<String> externalId();

    /** The session name shown in CloudTrail for the assumed role. */
    @WithDefault("keyfleet-broker")
    String roleSessionName();

    /**
     * Ceiling on IAM requests per second from this replica, retries included. IAM throttles per
     * account, so this leaves room for everyone else who calls IAM in the account.
     */
    @WithDefault("10")
    double maxRequestsPerSecond();

    /** Items asked for per page (IAM's MaxItems, 1 to 1000). */
    @WithDefault("1000")
    int pageSize();

    /** Attempts per call, the first included; throttling and 5xx are retried with jittered backoff. */
    @WithDefault("8")
    int maxAttempts();

    /** Bound on one HTTP attempt, so a black-holed connection fails the call instead of the crawl hanging. */
    @WithDefault("10s")
    Duration attemptTimeout();
}
