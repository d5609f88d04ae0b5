package io.microchat.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The send limit per user, however many connections and instances they use: {@code messagesPerSecond}, bursts of
 * {@code burst}, in all.
 *
 * <p>Each instance keeps one token bucket per user, shared by that user's connections here, and gives it the
 * share of the limit that falls to this instance: {@code 1/n} when the user has connections on {@code n}
 * instances (presence knows on which, from its announcements; nothing else travels). So a check costs no network
 * round trip per message (issue 19: the send path is hot), and the sum over all instances never exceeds the limit.
 * The price: a user connected to two instances and sending from only one of them gets half the rate there.
 */
final class UserSendLimits {

    private static final int PURGE_EVERY = 4096;

    private final double perSecond;
    private final double burst;
    private final ToIntFunction<String> instancesOf;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    /**
     * Limits.
     *
     * @param perSecond   sends a user may make per second
     * @param burst       sends a user may save up
     * @param instancesOf on how many instances a user has connections (at least 1)
     */
    UserSendLimits(double perSecond, double burst, ToIntFunction<String> instancesOf) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.instancesOf = instancesOf;
    }

    /**
     * Takes one send from a user's allowance.
     *
     * @param userKey the user
     * @return false when the user is over the limit
     */
    boolean tryAcquire(String userKey) {
        if (calls.incrementAndGet() % PURGE_EVERY == 0) {
            long now = System.nanoTime();
            buckets.values().removeIf(bucket -> bucket.isIdle(now));
        }
        int share = Math.max(1, instancesOf.applyAsInt(userKey));
        return buckets.computeIfAbsent(userKey, k -> new Bucket(burst / share))
                .tryAcquire(perSecond / share, burst / share);
    }

    /** A token bucket whose rate and size may change with the user's share. */
    private static final class Bucket {
        private double tokens;
        private long last = System.nanoTime();
        private volatile long lastUse = last;

        Bucket(double initial) {
            tokens = initial;
        }

        synchronized boolean tryAcquire(double perSecond, double size) {
            long now = System.nanoTime();
            tokens = Math.min(size, tokens + (now - last) * perSecond / 1e9);
            last = now;
            lastUse = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        /** Unused for a minute: full again at any rate, so forgetting it changes nothing. */
        boolean isIdle(long now) {
            return now - lastUse > 60_000_000_000L;
        }
    }
}
