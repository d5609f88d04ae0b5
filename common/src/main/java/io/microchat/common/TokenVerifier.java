package io.microchat.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;

/**
 * Verifies the access tokens the auth service issues: signature by a known key with the one accepted
 * algorithm (never {@code none}), issuer, audience, and expiry; the session id ({@code sid}) is passed on for
 * the services that check whether the session was revoked.
 */
public final class TokenVerifier {

    /** Tokens longer than this are rejected before any parsing. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private final KeySource keys;
    private final String algorithm;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;

    /**
     * A verifier.
     *
     * @param keys      where the public keys come from
     * @param algorithm the only accepted signature algorithm, e.g. {@code ES256}
     * @param issuer    the required {@code iss}
     * @param audience  the required {@code aud}
     * @param clockSkew how far past {@code exp} a token is still accepted
     * @param clock     the clock that says what "now" is
     */
    public TokenVerifier(KeySource keys, String algorithm, String issuer, String audience, Duration clockSkew, Clock clock) {
        this.keys = keys;
        this.algorithm = algorithm;
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /**
     * Verifies a token.
     *
     * @param token the compact JWT
     * @return who the token speaks for
     * @throws TokenRejectedException when the token is not acceptable, with the reason in words
     */
    public AuthenticatedUser verify(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException("token missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRejectedException("token too long");
        }
        SignedJwt signed;
        Jwt jwt;
        try {
            signed = SignedJwt.parseToken(token);
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            throw new TokenRejectedException("token malformed");
        }
        String alg = jwt.algorithm().orElse("");
        if (!algorithm.equals(alg)) {
            throw new TokenRejectedException("token algorithm not accepted");
        }
        String kid = jwt.keyId().orElseThrow(() -> new TokenRejectedException("token has no key id"));
        Jwk key = keys.key(kid).orElseThrow(() -> new TokenRejectedException("token signed by an unknown key"));
        Errors signature = signed.verifySignature(JwkKeys.builder().addKey(key).build(), key);
        if (!signature.isValid()) {
            throw new TokenRejectedException("token signature invalid");
        }
        Instant now = clock.instant();
        Instant expires = jwt.expirationTime().orElseThrow(() -> new TokenRejectedException("token has no expiry"));
        if (now.isAfter(expires.plus(clockSkew))) {
            throw new TokenRejectedException("token expired");
        }
        if (jwt.notBefore().map(nbf -> now.plus(clockSkew).isBefore(nbf)).orElse(false)) {
            throw new TokenRejectedException("token not yet valid");
        }
        if (!issuer.equals(jwt.issuer().orElse(null))) {
            throw new TokenRejectedException("token issuer not accepted");
        }
        if (!jwt.audience().orElse(List.of()).contains(audience)) {
            throw new TokenRejectedException("token audience not accepted");
        }
        String subject = jwt.subject().filter(s -> !s.isBlank())
                .orElseThrow(() -> new TokenRejectedException("token has no subject"));
        String username = jwt.preferredUsername().filter(s -> !s.isBlank())
                .orElseThrow(() -> new TokenRejectedException("token has no username"));
        String sessionId = jwt.payloadClaim("sid")
                .filter(v -> v instanceof jakarta.json.JsonString)
                .map(v -> ((jakarta.json.JsonString) v).getString())
                .filter(s -> !s.isBlank())
                .orElse(null);
        return new AuthenticatedUser(subject, username, expires, sessionId);
    }

    /** Where a verifier finds the public key for a key id. */
    @FunctionalInterface
    public interface KeySource {
        /**
         * The key with this id.
         *
         * @param keyId the {@code kid} of a token
         * @return the key, or empty when none is known under that id
         */
        Optional<Jwk> key(String keyId);

        /**
         * A fixed key set.
         *
         * @param keys the keys
         * @return a source that looks keys up in {@code keys}
         */
        static KeySource of(JwkKeys keys) {
            return keys::forKeyId;
        }
    }
}
