package io.microchat.common;

import java.time.Instant;

/**
 * The user an access token speaks for.
 *
 * @param userId    the stable user id (the token's {@code sub})
 * @param username  the user's name (the token's {@code preferred_username})
 * @param expiresAt when the token stops being accepted
 * @param sessionId the session (one login on one device) the token belongs to (its {@code sid}), or null for a
 *                  token without one
 */
public record AuthenticatedUser(String userId, String username, Instant expiresAt, String sessionId) {
}
