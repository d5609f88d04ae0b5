package io.microchat.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.microchat.common.AuthenticatedUser;
import io.microchat.common.TokenRejectedException;
import io.microchat.common.TokenVerifier;
import jakarta.json.Json;

/**
 * Registration, login and the current user, under {@code /api/auth}.
 */
final class AuthService implements HttpService {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}", Pattern.CASE_INSENSITIVE);
    private static final String INVALID_CREDENTIALS = "Wrong username or password.";

    private final UserStore users;
    private final PasswordHasher hasher;
    private final TokenIssuer tokens;
    private final TokenVerifier verifier;
    private final LoginThrottle throttle;
    private final AuthMetrics metrics;

    AuthService(UserStore users, PasswordHasher hasher, TokenIssuer tokens, TokenVerifier verifier,
                LoginThrottle throttle, AuthMetrics metrics) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.verifier = verifier;
        this.throttle = throttle;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/register", ApiHandler.of("/api/auth/register", this::register, metrics))
                .post("/login", ApiHandler.of("/api/auth/login", this::login, metrics))
                .get("/me", ApiHandler.of("/api/auth/me", this::me, metrics));
    }

    private void register(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, MAX_BODY_BYTES);
        String username = body.requiredString("username");
        String password = body.requiredString("password");
        validateUsername(username);
        validatePassword(password);
        String hash = metrics.timeHash(() -> hasher.hash(password));
        User user;
        try {
            user = users.create(username, hash);
        } catch (UserStore.UsernameTakenException e) {
            metrics.registration("taken");
            throw new ApiException(Status.CONFLICT_409, "username_taken", "That username is taken.");
        }
        metrics.registration("created");
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/auth/me")
                .send(user.toJson());
    }

    private void login(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, MAX_BODY_BYTES);
        String username = body.requiredString("username");
        String password = body.requiredString("password");
        String key = UserStore.lower(username);
        Optional<Duration> wait = throttle.retryAfter(key);
        if (wait.isPresent()) {
            metrics.login("throttled");
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new ApiException(Status.TOO_MANY_REQUESTS_429, "too_many_attempts",
                                   "Too many failed logins for this username; try again in " + seconds + " s.",
                                   Map.of("Retry-After", String.valueOf(seconds)));
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
            throttle.recordFailure(key);
            metrics.login("invalid_credentials");
            throw new ApiException(Status.UNAUTHORIZED_401, "invalid_credentials", INVALID_CREDENTIALS);
        }
        User user = stored.get().user();
        TokenIssuer.IssuedToken token = tokens.issue(user);
        metrics.login("success");
        res.header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(Json.createObjectBuilder()
                              .add("accessToken", token.token())
                              .add("tokenType", "Bearer")
                              .add("expiresAt", token.expiresAt().toString())
                              .add("expiresIn", token.lifetime().toSeconds())
                              .add("user", user.toJson())
                              .build());
    }

    private void me(ServerRequest req, ServerResponse res) {
        AuthenticatedUser principal = authenticate(req);
        User user = users.findById(principal.userId())
                .orElseThrow(() -> unauthorized("The user of this token no longer exists."));
        res.header(HeaderNames.CACHE_CONTROL, "no-store").send(user.toJson());
    }

    private AuthenticatedUser authenticate(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> unauthorized("An 'Authorization: Bearer <token>' header is required."));
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("The Authorization header must use the Bearer scheme.");
        }
        try {
            return verifier.verify(header.substring(7).trim());
        } catch (TokenRejectedException e) {
            throw unauthorized("The access token is not valid: " + e.getMessage() + ".");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, "invalid_token", message,
                                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    private static void validateUsername(String username) {
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("invalid_username",
                                          "The username must be 3 to 32 characters of letters, digits, '_', '.' or '-'.");
        }
    }

    private static void validatePassword(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD) {
            throw ApiException.badRequest("invalid_password",
                                          "The password must be at least " + MIN_PASSWORD + " characters long.");
        }
        if (length > MAX_PASSWORD) {
            throw ApiException.badRequest("invalid_password",
                                          "The password must be at most " + MAX_PASSWORD + " characters long.");
        }
    }
}
