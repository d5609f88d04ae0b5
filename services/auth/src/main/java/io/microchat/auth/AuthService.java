package io.microchat.auth;

import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.microchat.common.AuthenticatedUser;

/**
 * Registration, login (which starts a session: {@link SessionService} has the rest of its life) and the current
 * user, under {@code /api/auth}.
 */
final class AuthService implements HttpService {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}", Pattern.CASE_INSENSITIVE);
    private static final int MAX_DEVICE = 100;

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordCheck passwords;
    private final RefreshTokens sessions;
    private final TokenResponses responses;
    private final BearerToken bearer;
    private final ClientAddress addresses;
    private final AuthMetrics metrics;

    AuthService(UserStore users, PasswordHasher hasher, PasswordCheck passwords, RefreshTokens sessions,
                TokenResponses responses, BearerToken bearer, ClientAddress addresses, AuthMetrics metrics) {
        this.users = users;
        this.hasher = hasher;
        this.passwords = passwords;
        this.sessions = sessions;
        this.responses = responses;
        this.bearer = bearer;
        this.addresses = addresses;
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
        String device = body.optionalString("device");
        UserStore.StoredUser checked = passwords.verify(username, password, addresses.of(req),
                                                        SecurityEvents.Event.LOGIN_FAILURE);
        User user = checked.user();
        RefreshTokens.Issued session = sessions.start(user, device(device, req));
        if (!users.hasPasswordHash(user.id(), checked.passwordHash())) {
            // the password changed while this one was checked: the change ended every other session, this one too
            sessions.revokeSession(session.sessionId(), "password_change");
            throw new ApiException(Status.UNAUTHORIZED_401, "invalid_credentials", "Wrong username or password.");
        }
        metrics.login("success");
        responses.send(req, res, user, session);
    }

    private void me(ServerRequest req, ServerResponse res) {
        AuthenticatedUser principal = bearer.authenticate(req);
        User user = users.findById(principal.userId())
                .orElseThrow(() -> BearerToken.unauthorized("The user of this token no longer exists."));
        res.header(HeaderNames.CACHE_CONTROL, "no-store").send(user.toJson());
    }

    /** What the session list calls the device: the client's own words, else its User-Agent, shortened. */
    private static String device(String given, ServerRequest req) {
        String device = given != null && !given.isBlank() ? given
                : req.headers().first(HeaderNames.USER_AGENT).orElse("unknown");
        return device.length() > MAX_DEVICE ? device.substring(0, MAX_DEVICE) : device;
    }

    private static void validateUsername(String username) {
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("invalid_username",
                                          "The username must be 3 to 32 characters of letters, digits, '_', '.' or '-'.");
        }
    }

    static void validatePassword(String password) {
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
