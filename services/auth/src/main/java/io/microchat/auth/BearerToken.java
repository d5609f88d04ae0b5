package io.microchat.auth;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.microchat.common.AuthenticatedUser;
import io.microchat.common.TokenRejectedException;
import io.microchat.common.TokenVerifier;

/**
 * The access token of a request ({@code Authorization: Bearer <token>}), verified, and its session still active.
 */
final class BearerToken {

    private final TokenVerifier verifier;
    private final RefreshTokens sessions;

    BearerToken(TokenVerifier verifier, RefreshTokens sessions) {
        this.verifier = verifier;
        this.sessions = sessions;
    }

    /**
     * Whether the request carries a bearer token at all.
     *
     * @param req the request
     * @return true with an {@code Authorization} header
     */
    static boolean present(ServerRequest req) {
        return req.headers().contains(HeaderNames.AUTHORIZATION);
    }

    /**
     * The user of the request's access token.
     *
     * @param req the request
     * @return the user, with the session id
     * @throws ApiException 401 {@code invalid_token}
     */
    AuthenticatedUser authenticate(ServerRequest req) {
        AuthenticatedUser user = verified(req);
        if (user.sessionId() == null || !sessions.isActive(user.sessionId())) {
            throw unauthorized("The session of this access token has ended; log in again.");
        }
        return user;
    }

    /**
     * The user of the request's access token, whether or not its session is still active (a logout of a session
     * that ended already is done, not refused).
     *
     * @param req the request
     * @return the user, with the session id
     * @throws ApiException 401 {@code invalid_token}
     */
    AuthenticatedUser verified(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> unauthorized("An 'Authorization: Bearer <token>' header is required."));
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("The Authorization header must use the Bearer scheme.");
        }
        AuthenticatedUser user;
        try {
            user = verifier.verify(header.substring(7).trim());
        } catch (TokenRejectedException e) {
            throw unauthorized("The access token is not valid: " + e.getMessage() + ".");
        }
        return user;
    }

    static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, "invalid_token", message,
                                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }
}
