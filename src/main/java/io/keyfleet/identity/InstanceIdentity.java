package io.keyfleet.identity;

import java.time.Instant;

/**
 * The facts an instance proved with its signed identity document. Every field came out of bytes
 * whose signature verified.
 */
public record InstanceIdentity(
        String accountId,
        String region,
        String instanceId,
        String imageId,
        String availabilityZone,
        String instanceType,
        Instant pendingTime) {}
