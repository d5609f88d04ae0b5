package io.microchat.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * The answer to a login or a refresh: a new access token for the session, and its new refresh token, which goes
 * to a browser (a request with an {@code Origin}) only as the {@link RefreshCookie}, never in the body a script
 * reads, and to other clients in the body.
 */
final class TokenResponses {

    private final TokenIssuer tokens;
    private final RefreshCookie cookie;

    TokenResponses(TokenIssuer tokens, RefreshCookie cookie) {
        this.tokens = tokens;
        this.cookie = cookie;
    }

    void send(ServerRequest req, ServerResponse res, User user, RefreshTokens.Issued session) {
        TokenIssuer.IssuedToken access = tokens.issue(user, session.sessionId(), session.expiresAt());
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("accessToken", access.token())
                .add("tokenType", "Bearer")
                .add("expiresAt", access.expiresAt().toString())
                .add("expiresIn", access.lifetime().toSeconds())
                .add("sessionId", session.sessionId())
                .add("refreshExpiresAt", session.expiresAt().toString())
                .add("user", user.toJson());
        if (isBrowser(req)) {
            cookie.set(req, res, session.token(), session.expiresAt());
        } else {
            body.add("refreshToken", session.token());
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store").send(body.build());
    }

    static boolean isBrowser(ServerRequest req) {
        return req.headers().contains(HeaderNames.ORIGIN);
    }
}
