package io.microchat.chat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.mongodb.client.MongoDatabase;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.microchat.common.AppVariables;
import io.microchat.common.Observability;
import io.microchat.common.ServiceConfig;
import io.microchat.common.TokenVerifier;

/**
 * Starts a chat instance.
 */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,63}");

    private Main() {
    }

    /**
     * Starts an instance with the configuration of this process, and drains it on SIGTERM.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AppVariables.reportUnknown();
        ChatServer server = start(ServiceConfig.load());
        Runtime.getRuntime().addShutdownHook(new Thread(server::drainAndStop, "chat-drain"));
        LOGGER.info("chat instance " + server.hub().instanceId() + " listening on http://localhost:"
                    + server.webServer().port() + " (WebSocket /ws)");
    }

    /**
     * Builds and starts an instance; tests start the real service this way.
     *
     * @param config the root configuration
     * @return the running instance
     */
    public static ChatServer start(Config config) {
        Config app = config.get("app");
        String instanceId = instanceId(app);
        ChatSettings settings = ChatSettings.from(app);

        DbClient db = DbClient.create(config.get("db"));
        MongoDatabase mongo = db.unwrap(MongoDatabase.class);
        Presence[] presenceRef = new Presence[1];
        ChatMetrics metrics = ChatMetrics.global(instanceId, () -> presenceRef[0] == null ? 0 : presenceRef[0].size());
        LoadLimits limits = LoadLimits.from(app);
        MessageStore store = new MessageStore(mongo, metrics, limits.sendQueue());
        try {
            store.ensureIndexes();
        } catch (RuntimeException e) {
            LOGGER.warning("MongoDB not reachable at start-up; indexes are created with the first write: " + e);
        }
        Config jwt = app.get("jwt");
        JwksKeySource keys = new JwksKeySource(
                URI.create(jwt.get("jwks-url").asString().orElse("http://127.0.0.1:8081/api/auth/jwks")),
                jwt.get("jwks-refetch-interval").as(Duration.class).orElse(Duration.ofSeconds(30)));
        TokenVerifier verifier = new TokenVerifier(
                keys,
                "RS256",
                jwt.get("issuer").asString().orElse("microchat"),
                jwt.get("audience").asString().orElse("microchat"),
                Duration.ZERO,
                Clock.systemUTC());
        ChatHub hub = new ChatHub(instanceId, settings, limits, verifier, store, new Users(mongo), metrics);
        SessionGuard guard = new SessionGuard(mongo, hub::verified, metrics, hub::connections,
                                              app.get("sessions.sweep").as(Duration.class)
                                                      .orElse(Duration.ofSeconds(10)));
        RedisBus bus = new RedisBus(URI.create(app.get("redis.url").asString().orElse("redis://127.0.0.1:6379")),
                                    metrics, Set.of(Channels.ROOM_ALL, Channels.PRESENCE, Channels.REVOCATIONS),
                                    hub::onBusMessage, () -> {
                                        guard.catchUp();
                                        hub.catchUp();
                                    });
        Presence presence = new Presence(instanceId, bus, metrics,
                                         app.get("presence.heartbeat").as(Duration.class)
                                                 .orElse(Duration.ofSeconds(3)).toMillis(),
                                         app.get("presence.instance-timeout").as(Duration.class)
                                                 .orElse(Duration.ofSeconds(10)).toMillis(),
                                         hub::onPresenceChange, hub::catchUp);
        presenceRef[0] = presence;
        hub.attach(bus, presence);
        hub.attachSessions(guard, new UserSendLimits(settings.messagesPerSecond(), settings.burst(),
                                                     presence::instancesWith));
        presence.start();
        guard.start();

        String publicAuthUrl = app.get("public-auth-url").asString().orElse("");
        WebServerConfig.Builder builder = WebServer.builder()
                .config(config.get("server"))
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .addFeature(Observability.feature(db, List.of(
                        readiness("redis", () -> HealthCheckResponse.builder()
                                .status(bus.isHealthy() && presence.isHealthy()).build()),
                        readiness("signing-keys", () -> HealthCheckResponse.builder()
                                .status(keys.isLoaded()).build()),
                        readiness("accepting", () -> HealthCheckResponse.builder().status(!hub.isDraining())
                                .detail("instance", instanceId).build()))))
                .routing(routing -> routing
                        .addFilter(new SecurityHeadersFilter(publicAuthUrl))
                        .register("/api/chat", new WebAppService(instanceId, publicAuthUrl))
                        .register("/", WebAppFiles.staticContent(Main.class.getClassLoader()).build()))
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new ChatEndpoint(hub)));
        WebServer webServer = builder.build().start();
        return new ChatServer(webServer, hub, store, bus, presence, db, settings.drainTimeout());
    }

    private static HealthCheck readiness(String name, java.util.function.Supplier<HealthCheckResponse> check) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return check.get();
            }
        };
    }

    private static String instanceId(Config app) {
        String id = app.get("instance-id").asString().filter(s -> !s.isBlank())
                .or(() -> java.util.Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()))
                .orElseGet(() -> "chat-" + UUID.randomUUID().toString().substring(0, 8));
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("app.instance-id must be 1-63 of [A-Za-z0-9._-], not '" + id + "'");
        }
        return id;
    }
}
