package io.keyfleet.client;

import java.time.Duration;

/** A bound on a whole command, shared by every network call it makes. */
record Deadline(long endNanos) {

    static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** The smaller of {@code wanted} and what is left, at least 1 ms (0 would mean "no timeout"). */
    Duration cap(Duration wanted) {
        long left = endNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000, Math.min(left, wanted.toNanos())));
    }

    boolean expired() {
        return System.nanoTime() >= endNanos;
    }
}
