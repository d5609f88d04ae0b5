package io.microchat.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;

/** Issues signed access tokens for users. */
final class TokenIssuer {

    private final SigningKey key;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    TokenIssuer(SigningKey key, String issuer, String audience, Duration lifetime, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * A token for a user's session.
     *
     * @param user      the user
     * @param sessionId the session (one login on one device), carried as {@code sid}
     * @return the token and when it expires
     */
    IssuedToken issue(User user, String sessionId) {
        return issue(user, sessionId, Instant.MAX);
    }

    /**
     * A token for a user's session that does not outlive the session.
     *
     * @param user      the user
     * @param sessionId the session (one login on one device), carried as {@code sid}
     * @param notAfter  when the session ends at the latest: the token expires then if that is sooner
     * @return the token and when it expires
     */
    IssuedToken issue(User user, String sessionId, Instant notAfter) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant capped = notAfter.truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(lifetime).isAfter(capped) ? capped : now.plus(lifetime);
        Jwt jwt = Jwt.builder()
                .type("JWT")
                .algorithm(SigningKey.ALGORITHM)
                .keyId(key.keyId())
                .issuer(issuer)
                .addAudience(audience)
                .subject(user.id())
                .preferredUsername(user.username())
                .issueTime(now)
                .notBefore(now)
                .expirationTime(expires)
                .jwtId(UUID.randomUUID().toString())
                .addPayloadClaim("sid", sessionId)
                .build();
        return new IssuedToken(SignedJwt.sign(jwt, key.jwk()).tokenContent(), expires,
                               Duration.between(now, expires));
    }

    /**
     * A signed token.
     *
     * @param token     the compact JWT
     * @param expiresAt when it expires
     * @param lifetime  how long it lives
     */
    record IssuedToken(String token, Instant expiresAt, Duration lifetime) {
    }
}
