package io.microchat.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

import com.mongodb.client.MongoDatabase;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.microchat.common.AppVariables;
import io.microchat.common.Observability;
import io.microchat.common.ServiceConfig;
import io.microchat.common.TokenVerifier;

/**
 * Starts the auth service.
 */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the server with the configuration of this process (application.yaml, environment).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AppVariables.reportUnknown();
        Config config = ServiceConfig.load();
        DbClient db = DbClient.create(config.get("db"));
        WebServer server = start(config, db);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "db-close"));
        LOGGER.info("auth service listening on http://localhost:" + server.port() + "/api/auth");
    }

    /**
     * Builds and starts the server; tests start the real service this way.
     *
     * @param config the root configuration
     * @param db     the MongoDB client
     * @return the running server
     */
    public static WebServer start(Config config, DbClient db) {
        WebServerConfig.Builder server = WebServer.builder();
        setup(server, config, db);
        return server.build().start();
    }

    static void setup(WebServerConfig.Builder server, Config config, DbClient db) {
        server.config(config.get("server"))
                .featuresDiscoverServices(false)
                .addFeature(Observability.feature(db, List.of()))
                .routing(routing -> routing(routing, config, db));
    }

    static void routing(HttpRouting.Builder routing, Config config, DbClient db) {
        Config app = config.get("app");
        Config jwt = app.get("jwt");
        Clock clock = Clock.systemUTC();
        Path dataDir = Path.of(app.get("data-dir").asString().orElse("./data"));

        SigningKeys keys = SigningKeys.load(jwt, dataDir);
        SigningKey key = keys.signing();
        String issuer = jwt.get("issuer").asString().orElse("microchat");
        String audience = jwt.get("audience").asString().orElse("microchat");
        Duration lifetime = jwt.get("lifetime").as(Duration.class).orElse(Duration.ofMinutes(15));
        TokenIssuer tokens = new TokenIssuer(key, issuer, audience, lifetime, clock);
        TokenVerifier verifier = new TokenVerifier(TokenVerifier.KeySource.of(keys.publicKeys()), SigningKey.ALGORITHM,
                                                   issuer, audience, Duration.ZERO, clock);
        UserStore users = new UserStore(db);
        MongoDatabase mongo = db.unwrap(MongoDatabase.class);
        Config refresh = app.get("refresh");
        RefreshTokens sessions = new RefreshTokens(mongo,
                                                   refresh.get("idle").as(Duration.class)
                                                           .orElse(Duration.ofDays(14)),
                                                   refresh.get("lifetime").as(Duration.class)
                                                           .orElse(Duration.ofDays(30)),
                                                   refresh.get("grace").as(Duration.class)
                                                           .orElse(Duration.ofSeconds(10)),
                                                   clock);
        try {
            users.ensureIndexes();
            sessions.ensureIndexes();
        } catch (RuntimeException e) {
            LOGGER.warning("MongoDB not reachable at start-up; indexes are created on the first write: " + e);
        }
        PasswordHasher hasher = new PasswordHasher(app.get("password.iterations").asInt()
                                                           .orElse(PasswordHasher.MIN_ITERATIONS));
        Config throttling = app.get("login-throttle");
        LoginThrottle throttle = new LoginThrottle(mongo,
                                                   throttling.get("max-failures").asInt().orElse(5),
                                                   throttling.get("max-failures-per-address").asInt().orElse(20),
                                                   throttling.get("window").as(Duration.class)
                                                           .orElse(Duration.ofMinutes(1)),
                                                   clock);
        AuthMetrics metrics = AuthMetrics.global();
        SecurityEvents events = new SecurityEvents(Metrics.globalRegistry());
        int proxyHops = app.get("proxy.hops").asInt().orElse(0);
        ClientAddress addresses = new ClientAddress(proxyHops);
        RefreshCookie cookie = new RefreshCookie(
                RefreshCookie.Secure.valueOf(refresh.get("secure").asString().orElse("auto")
                                                     .toUpperCase(Locale.ROOT)), proxyHops > 0);
        CorsFilter cors = new CorsFilter(Set.copyOf(commaSeparated(app.get("cors.allowed-origins"))));
        SessionRevocations revocations = new SessionRevocations(
                URI.create(app.get("redis.url").asString().orElse("redis://127.0.0.1:6379")));
        PasswordCheck passwords = new PasswordCheck(users, hasher, throttle, metrics, events);
        TokenResponses responses = new TokenResponses(tokens, cookie);
        BearerToken bearer = new BearerToken(verifier, sessions);

        routing.addFilter(cors)
                .register("/api/auth", new AuthService(users, hasher, passwords, sessions, responses, bearer,
                                                       addresses, metrics))
                .register("/api/auth", new SessionService(users, hasher, passwords, sessions, responses, bearer,
                                                          cookie, cors, addresses, revocations, events, metrics))
                .register("/api/auth", new JwksService(keys))
                .any("/api/auth/*", (req, res) -> ApiHandler.sendError(res, io.helidon.http.Status.NOT_FOUND_404,
                                                                      "not_found", "No such endpoint."));
    }

    static List<String> commaSeparated(Config node) {
        return node.asString().map(value -> List.of(value.split("\\s*,\\s*"))).orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).toList();
    }
}
