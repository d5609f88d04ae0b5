package io.microchat.chat;

/**
 * When a queue in the send path is too full to take more: more than {@code capacity} entries, or its oldest entry
 * waiting longer than {@code maxAgeMillis}. Past the bound a sender is told {@code overloaded} with a retry hint
 * instead of joining a queue whose wait would make every accepted message late.
 *
 * @param capacity     most entries waiting
 * @param maxAgeMillis longest the oldest entry may have waited
 */
record QueueBound(int capacity, long maxAgeMillis) {

    /** The shortest retry hint: a queue over its bound needs at least a store round trip to drain. */
    static final long MIN_RETRY_MILLIS = 100;
    /** The longest retry hint. */
    static final long MAX_RETRY_MILLIS = 5_000;

    QueueBound {
        if (capacity < 1 || maxAgeMillis < 1) {
            throw new IllegalArgumentException("a queue bound needs a capacity and a maximum age of at least 1, not "
                                               + capacity + " and " + maxAgeMillis + " ms");
        }
    }

    /**
     * Whether a new entry may join, and if not, when to try again.
     *
     * @param size            entries waiting now
     * @param oldestAgeMillis how long the oldest has waited (0 when empty)
     * @return 0 to admit; otherwise the milliseconds to wait before a retry: about as long as the oldest entry
     *         has waited (what it takes the queue to drain), at least {@link #MIN_RETRY_MILLIS} and at most
     *         {@link #MAX_RETRY_MILLIS}
     */
    long retryAfterMillis(int size, long oldestAgeMillis) {
        if (size < capacity && oldestAgeMillis <= maxAgeMillis) {
            return 0;
        }
        return Math.clamp(oldestAgeMillis, MIN_RETRY_MILLIS, MAX_RETRY_MILLIS);
    }
}
