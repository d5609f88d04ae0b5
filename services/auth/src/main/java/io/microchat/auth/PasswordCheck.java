package io.microchat.auth;

import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;

/**
 * Checks a user's password under the login throttle, for a login and for a password change alike: reserves an
 * attempt for the username and the client address first (refused with 429 {@code too_many_attempts} when either
 * has used up its failures), then runs the full hash comparison (also for an unknown username, so that both take
 * the same time), gives the attempt back when the password was right, and reports a failure as a security event.
 */
final class PasswordCheck {

    private static final String INVALID_CREDENTIALS = "Wrong username or password.";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AuthMetrics metrics;
    private final SecurityEvents events;

    PasswordCheck(UserStore users, PasswordHasher hasher, LoginThrottle throttle, AuthMetrics metrics,
                  SecurityEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * The user whose password this is.
     *
     * @param username  the name, any case
     * @param password  the password to check
     * @param address   the client's address
     * @param failure   the event a wrong password is
     * @return the user, with the hash the password was checked against
     * @throws ApiException 429 {@code too_many_attempts} with {@code Retry-After}, 401 {@code invalid_credentials}
     */
    UserStore.StoredUser verify(String username, String password, String address, SecurityEvents.Event failure) {
        String key = UserStore.lower(username);
        LoginThrottle.Reservation reservation;
        try {
            reservation = throttle.reserve(key, address);
        } catch (LoginThrottle.Throttled e) {
            count(failure, "throttled");
            events.report(SecurityEvents.Event.LOGIN_THROTTLED, "username", key, "address", address,
                          "limit", e.scope());
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            throw new ApiException(Status.TOO_MANY_REQUESTS_429, "too_many_attempts",
                                   "Too many failed attempts for this " + e.scope() + "; try again in " + seconds
                                   + " s.", Map.of("Retry-After", String.valueOf(seconds)));
        }
        Optional<UserStore.StoredUser> stored = users.findByUsername(username);
        boolean valid = metrics.timeHash(() -> {
            if (stored.isEmpty()) {
                hasher.matchNothing(password);
                return false;
            }
            return hasher.matches(password, stored.get().passwordHash());
        });
        if (!valid) {
            count(failure, "invalid_credentials");
            events.report(failure, "username", key, "address", address,
                          "userId", stored.map(s -> s.user().id()).orElse(null));
            throw new ApiException(Status.UNAUTHORIZED_401, "invalid_credentials", INVALID_CREDENTIALS);
        }
        throttle.release(reservation);
        return stored.get();
    }

    private void count(SecurityEvents.Event failure, String outcome) {
        if (failure == SecurityEvents.Event.LOGIN_FAILURE) {
            metrics.login(outcome);
        }
    }
}
