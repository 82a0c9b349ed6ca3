package io.keyfleet.directory.iam;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces requests evenly: each caller gets the next free slot, {@code 1/rate} after the previous
 * one. No bursts, so the broker's share of the account's IAM throughput is exactly what is
 * configured.
 */
final class RequestRateLimiter {

    private final long intervalNanos;
    private long nextFreeSlot = System.nanoTime();

    RequestRateLimiter(double permitsPerSecond) {
        if (!(permitsPerSecond > 0)) {
            throw new IllegalArgumentException("keyfleet.iam.max-requests-per-second must be positive, got " + permitsPerSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
    }

    void acquire() {
        long wait = reserve();
        while (wait > 0) {
            long until = System.nanoTime() + wait;
            LockSupport.parkNanos(wait);
            wait = until - System.nanoTime();
        }
    }

    private synchronized long reserve() {
        long now = System.nanoTime();
        long slot = Math.max(now, nextFreeSlot);
        nextFreeSlot = slot + intervalNanos;
        return slot - now;
    }
}
