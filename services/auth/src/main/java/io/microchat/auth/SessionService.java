package io.microchat.auth;

import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.microchat.common.AuthenticatedUser;
import jakarta.json.Json;

/**
 * What happens to a session after the login, under {@code /api/auth}: refresh (rotating the refresh token), logout
 * of this device, logout everywhere, and password change. Every session that ends is marked in MongoDB and
 * announced to the chat instances ({@link SessionRevocations}), which close its WebSockets.
 */
final class SessionService implements HttpService {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordCheck passwords;
    private final RefreshTokens sessions;
    private final TokenResponses responses;
    private final BearerToken bearer;
    private final RefreshCookie cookie;
    private final CorsFilter origins;
    private final ClientAddress addresses;
    private final SessionRevocations revocations;
    private final SecurityEvents events;
    private final AuthMetrics metrics;

    SessionService(UserStore users, PasswordHasher hasher, PasswordCheck passwords, RefreshTokens sessions,
                   TokenResponses responses, BearerToken bearer, RefreshCookie cookie, CorsFilter origins,
                   ClientAddress addresses, SessionRevocations revocations, SecurityEvents events,
                   AuthMetrics metrics) {
        this.users = users;
        this.hasher = hasher;
        this.passwords = passwords;
        this.sessions = sessions;
        this.responses = responses;
        this.bearer = bearer;
        this.cookie = cookie;
        this.origins = origins;
        this.addresses = addresses;
        this.revocations = revocations;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/refresh", ApiHandler.of("/api/auth/refresh", this::refresh, metrics))
                .post("/logout", ApiHandler.of("/api/auth/logout", this::logout, metrics))
                .post("/logout-all", ApiHandler.of("/api/auth/logout-all", this::logoutEverywhere, metrics))
                .post("/password", ApiHandler.of("/api/auth/password", this::changePassword, metrics));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        String token = presentedToken(req);
        if (token == null) {
            throw invalidRefresh(req, res, "No refresh token was presented.");
        }
        RefreshTokens.Issued issued;
        try {
            issued = sessions.rotate(token);
        } catch (RefreshTokens.Rejected e) {
            throw rejected(req, res, e);
        }
        User user = users.findById(issued.userId()).orElse(null);
        if (user == null) {
            sessions.revokeSession(issued.sessionId(), "user_gone");
            throw invalidRefresh(req, res, "The user of this session no longer exists.");
        }
        responses.send(req, res, user, issued);
    }

    private ApiException rejected(ServerRequest req, ServerResponse res, RefreshTokens.Rejected e) {
        return switch (e.reason()) {
        case RACED -> new ApiException(Status.CONFLICT_409, "refresh_conflict",
                                       "This refresh token was exchanged a moment ago by another request; "
                                       + "use the token that request received.", Map.of("Retry-After", "1"));
        case REUSED -> {
            String username = users.findById(e.userId()).map(User::username).orElse("");
            events.report(SecurityEvents.Event.REFRESH_REUSE, "userId", e.userId(), "username", username,
                          "sessionId", e.sessionId(), "address", addresses.of(req));
            revocations.announce(e.userId(), username, List.of(e.sessionId()), "refresh_reuse");
            cookie.clear(req, res);
            yield new ApiException(Status.UNAUTHORIZED_401, "refresh_token_reused",
                                   "This refresh token was used before, so its session has been ended; log in "
                                   + "again.");
        }
        case EXPIRED -> invalidRefresh(req, res, "The refresh token expired; log in again.");
        case REVOKED -> invalidRefresh(req, res, "The session of this refresh token has ended; log in again.");
        case UNKNOWN -> invalidRefresh(req, res, "The refresh token is not valid; log in again.");
        };
    }

    private void logout(ServerRequest req, ServerResponse res) {
        String token = presentedToken(req);
        String sessionId;
        String userId;
        if (token != null) {
            var session = sessions.sessionOf(token);
            sessionId = session.map(RefreshTokens.Issued::sessionId).orElse(null);
            userId = session.map(RefreshTokens.Issued::userId).orElse(null);
        } else if (BearerToken.present(req)) {
            AuthenticatedUser user = bearer.verified(req);
            sessionId = user.sessionId();
            userId = user.userId();
        } else {
            throw BearerToken.unauthorized("Present the refresh token (cookie or body) or the access token.");
        }
        if (sessionId != null && sessions.revokeSession(sessionId, "logout")) {
            String username = users.findById(userId).map(User::username).orElse("");
            events.report(SecurityEvents.Event.SESSION_REVOKED, "userId", userId, "username", username,
                          "sessionId", sessionId, "reason", "logout", "address", addresses.of(req));
            revocations.announce(userId, username, List.of(sessionId), "logout");
        }
        cookie.clear(req, res);
        res.header(HeaderNames.CACHE_CONTROL, "no-store").status(Status.NO_CONTENT_204).send();
    }

    private void logoutEverywhere(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.authenticate(req);
        List<String> ended = sessions.revokeAll(user.userId(), null, "logout_everywhere");
        events.report(SecurityEvents.Event.LOGOUT_EVERYWHERE, "userId", user.userId(), "username", user.username(),
                      "sessionId", user.sessionId(), "sessionsEnded", String.valueOf(ended.size()),
                      "address", addresses.of(req));
        revocations.announce(user.userId(), user.username(), ended, "logout_everywhere");
        cookie.clear(req, res);
        res.header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(Json.createObjectBuilder().add("sessionsEnded", ended.size()).build());
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.authenticate(req);
        JsonBody body = JsonBody.read(req, AuthService.MAX_BODY_BYTES);
        String current = body.requiredString("currentPassword");
        String next = body.requiredString("newPassword");
        AuthService.validatePassword(next);
        String address = addresses.of(req);
        passwords.verify(user.username(), current, address, SecurityEvents.Event.PASSWORD_CHANGE_FAILURE);
        users.updatePasswordHash(user.userId(), metrics.timeHash(() -> hasher.hash(next)));
        List<String> ended = sessions.revokeAll(user.userId(), user.sessionId(), "password_change");
        events.report(SecurityEvents.Event.PASSWORD_CHANGE, "userId", user.userId(), "username", user.username(),
                      "sessionId", user.sessionId(), "sessionsEnded", String.valueOf(ended.size()),
                      "address", address);
        revocations.announce(user.userId(), user.username(), ended, "password_change");
        res.header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(Json.createObjectBuilder().add("sessionsEnded", ended.size()).build());
    }

    /**
     * The refresh token of the request: {@code refreshToken} in a JSON body (clients other than browsers), else the
     * cookie, which a page may use only from an allowed origin (the cookie is {@code SameSite=Strict}, but every
     * port of a host is the same site).
     */
    private String presentedToken(ServerRequest req) {
        String fromBody = JsonBody.readOptional(req, AuthService.MAX_BODY_BYTES).optionalString("refreshToken");
        if (fromBody != null) {
            return fromBody.isBlank() ? null : fromBody;
        }
        String fromCookie = cookie.read(req).orElse(null);
        if (fromCookie != null) {
            String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
            String host = req.headers().first(HeaderNames.HOST).orElse("");
            if (origin != null && !origins.permits(origin, host)) {
                throw new ApiException(Status.FORBIDDEN_403, "origin_forbidden",
                                       "This origin may not use the session cookie.");
            }
        }
        return fromCookie;
    }

    private ApiException invalidRefresh(ServerRequest req, ServerResponse res, String message) {
        cookie.clear(req, res);
        return new ApiException(Status.UNAUTHORIZED_401, "invalid_refresh_token", message);
    }
}
