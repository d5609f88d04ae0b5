package io.microchat.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.helidon.dbclient.DbClient;

/**
 * Limits failed logins per username: after {@code maxFailures} failures within {@code window}, further attempts
 * for that username are refused until the oldest of them leaves the window.
 *
 * <p>Failures are kept in MongoDB (collection {@code login_failures}), not in memory, so the limit holds across
 * every auth replica and survives restarts; each new failure prunes that username's expired ones.
 */
final class LoginThrottle {

    private final DbClient db;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(DbClient db, int maxFailures, Duration window, Clock clock) {
        this.db = db;
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /**
     * How long this username must wait before the next attempt.
     *
     * @param usernameLower the lower-cased username
     * @return the wait, or empty when an attempt may go ahead
     */
    Optional<Duration> retryAfter(String usernameLower) {
        Instant now = clock.instant();
        long since = now.minus(window).toEpochMilli();
        long[] count = {0};
        long[] oldest = {Long.MAX_VALUE};
        db.execute().createNamedQuery("find-login-failures")
                .addParam("usernameLower", usernameLower)
                .addParam("since", since)
                .execute()
                .forEach(row -> {
                    count[0]++;
                    oldest[0] = Math.min(oldest[0], row.column("at").get(Long.class));
                });
        if (count[0] < maxFailures) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, Instant.ofEpochMilli(oldest[0]).plus(window));
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /**
     * Records a failed attempt.
     *
     * @param usernameLower the lower-cased username
     */
    void recordFailure(String usernameLower) {
        Instant now = clock.instant();
        db.execute().createNamedDelete("delete-old-login-failures")
                .addParam("usernameLower", usernameLower)
                .addParam("before", now.minus(window).toEpochMilli())
                .execute();
        db.execute().createNamedInsert("insert-login-failure")
                .addParam("usernameLower", usernameLower)
                .addParam("at", now.toEpochMilli())
                .execute();
    }
}
