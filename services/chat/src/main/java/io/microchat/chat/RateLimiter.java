package io.microchat.chat;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, at most {@code burst} saved up. One per connection,
 * used only from that connection's reader thread.
 */
final class RateLimiter {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(double ratePerSecond, double burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
