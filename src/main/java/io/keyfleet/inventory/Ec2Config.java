package io.keyfleet.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The EC2 look-up behind tag policies and the running-instance check. */
@ConfigMapping(prefix = "keyfleet.ec2")
public interface Ec2Config {

    /**
     * Refuse instances that EC2 does not report as running, so an identity document copied from a
     * terminated or stopped instance stops working. Costs one DescribeInstances per instance per
     * {@link #cacheTtl()}.
     */
    @WithDefault("false")
    boolean requireRunning();

    /** How long an instance's state and tags are remembered. */
    @WithDefault("5m")
    Duration cacheTtl();

    /**
     * A role name to assume in each instance's account for DescribeInstances
     * ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}); empty: the broker's own credentials, which
     * then only see instances of its own account.
     */
    Optional<String> crossAccountRoleName();

    /** Send EC2 requests here instead of AWS's regional endpoint (tests, VPC endpoints). */
    Optional<URI> endpointOverride();

    /** Bound on one DescribeInstances attempt: the look-up is on the login path. */
    @WithDefault("2s")
    Duration attemptTimeout();
}
