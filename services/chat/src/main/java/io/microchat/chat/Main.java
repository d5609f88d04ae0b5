package io.microchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

import com.mongodb.client.MongoDatabase;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.microchat.common.AppVariables;
import io.microchat.common.Observability;
import io.microchat.common.ServiceConfig;
import io.microchat.common.TokenVerifier;

/**
 * Starts a chat instance: {@link #build} makes its parts in dependency order, {@link #setup} the server (sockets,
 * health, the WebSocket endpoint), {@link #routing} what it serves over HTTP.
 */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

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
        ChatSettings settings = ChatSettings.from(config.get("app"));
        Parts parts = build(settings, DbClient.create(config.get("db")));
        parts.start();
        WebServerConfig.Builder server = WebServer.builder();
        setup(server, config, parts);
        return new ChatServer(server.build().start(), parts);
    }

    /**
     * Creates indexes at start-up when MongoDB answers; else says when they will be (each store creates its own
     * with its first write), so an instance starts while MongoDB is away.
     *
     * @param later  when they are created otherwise
     * @param ensure creates them
     */
    private static void indexesNowOrLater(String later, Runnable ensure) {
        try {
            ensure.run();
        } catch (RuntimeException e) {
            LOGGER.warning("MongoDB not reachable at start-up; " + later + ": " + e);
        }
    }

    /**
     * Makes the parts of an instance, each from those it needs, in that order. Whoever listens on a pub/sub
     * channel registers its handler as it is made; no thread, timer or Redis connection starts before
     * {@link Parts#start} (only the MongoDB indexes are made here).
     *
     * @param settings the settings
     * @param db       the MongoDB client
     * @return the parts
     */
    static Parts build(ChatSettings settings, DbClient db) {
        ChatMetrics metrics = ChatMetrics.global(settings.instanceId());
        MongoDatabase mongo = db.unwrap(MongoDatabase.class);
        ChatSettings.Limits limits = settings.limits();
        MessageStore store = new MessageStore(mongo, metrics, limits.sendQueueBound());
        indexesNowOrLater("the messages' indexes are created with the first write", store::ensureIndexes);
        ChatSettings.Jwt jwt = settings.jwt();
        JwksKeySource keys = new JwksKeySource(jwt.jwksUrl(), jwt.refetchInterval());
        TokenVerifier verifier = new TokenVerifier(keys, "RS256", jwt.issuer(), jwt.audience(), Duration.ZERO,
                                                   Clock.systemUTC());
        Authentication authentication = new Authentication(verifier::verify, metrics);
        RedisBus bus = new RedisBus(settings.redisUrl(), metrics);
        LocalConnections connections = new LocalConnections();
        SessionGuard sessions = new SessionGuard(mongo, authentication, metrics, connections, settings.sessionsSweep(),
                                                 bus);
        MessageChanges changes = new MessageChanges(mongo, new MessageIds(), settings.messages().editWindow());
        indexesNowOrLater("the changes index is created with the first change", changes::ensureIndexes);
        GroupStore groups = new GroupStore(mongo, settings.groups().maxMembers());
        indexesNowOrLater("the groups' index is created with the first group", groups::ensureIndexes);
        // a former member of a group is not sent the changes made after they left it
        Replay replay = new Replay(store, connections, metrics, settings.replay(), bus, (user, after, limit) ->
                changes.since(user, after, limit, group -> groups.isMember(group, user)));
        Delivery delivery = new Delivery(settings.instanceId(), connections, bus);
        UserPreferences preferences = new UserPreferences(mongo);
        LastSeen lastSeen = new LastSeen(preferences, delivery, System::currentTimeMillis);
        Presence presence = new Presence(settings.instanceId(), bus, metrics, settings.presence(), lastSeen,
                                         replay::catchUpAll);
        UserSendLimits sendLimits = new UserSendLimits(limits.messagesPerSecond(), limits.burst(),
                                                       presence::instancesWith);
        OutboxBudgets budgets = limits.budgets();
        Users users = new Users(mongo);
        ConversationMembers members = new ConversationMembers(users, groups::othersOf);
        ReadReceipts receipts = new ReadReceipts(new ReadMarkerStore(mongo), preferences, members, users, delivery,
                                                 presence);
        Messaging messaging = new Messaging(store, users, groups, delivery, bus, sendLimits, budgets, limits, metrics,
                                            receipts);
        GroupChats groupChats = new GroupChats(groups, users, messaging, receipts);
        MessageEditing editing = new MessageEditing(
                changes, group -> groups.find(group).map(GroupStore.Group::memberKeys).orElse(List.of()), delivery);
        Reads reads = new Reads(receipts, new Typing(members, delivery, System::currentTimeMillis),
                                new UserSettings(preferences, delivery));
        ChatHub hub = new ChatHub(settings, connections, authentication, sessions, messaging, groupChats, replay,
                                  presence, bus, store, budgets, metrics, editing, reads);
        return new Parts(settings, db, metrics, store, keys, bus, sessions, presence, budgets, connections, hub,
                         lastSeen);
    }

    /**
     * The server: sockets from {@code server}, health and metrics, the HTTP routing and the WebSocket endpoint.
     *
     * @param server the server's builder
     * @param config the root configuration
     * @param parts  the instance's parts
     */
    static void setup(WebServerConfig.Builder server, Config config, Parts parts) {
        ChatSettings settings = parts.settings();
        server.config(config.get("server"))
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .addFeature(Observability.feature(parts.db(), List.of(
                        readiness("redis", () -> HealthCheckResponse.builder()
                                .status(parts.bus().isHealthy() && parts.presence().isHealthy()).build()),
                        readiness("signing-keys", () -> HealthCheckResponse.builder()
                                .status(parts.keys().isLoaded()).build()),
                        readiness("accepting", () -> HealthCheckResponse.builder().status(!parts.hub().isDraining())
                                .detail("instance", settings.instanceId()).build()))))
                .routing(routing -> routing(routing, settings))
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new ChatEndpoint(
                        parts.hub(), settings.limits(), settings.allowedOrigins(), parts.metrics(), parts.budgets())));
    }

    /**
     * What an instance serves over HTTP: the browser app and its settings.
     *
     * @param routing  the routing's builder
     * @param settings the settings
     */
    static void routing(HttpRouting.Builder routing, ChatSettings settings) {
        routing.addFilter(new SecurityHeadersFilter(settings.publicAuthUrl()))
                .register("/api/chat", new WebAppService(settings.instanceId(), settings.publicAuthUrl()))
                .register("/", WebAppFiles.staticContent(Main.class.getClassLoader()).build());
    }

    private static HealthCheck readiness(String name, Supplier<HealthCheckResponse> check) {
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

    /**
     * Everything a running instance is made of that is started, watched or stopped as a whole.
     *
     * @param settings the settings
     * @param db       the MongoDB client
     * @param metrics  metrics
     * @param store    the messages
     * @param keys     the auth service's signing keys
     * @param bus      Redis pub/sub
     * @param sessions the session guard
     * @param presence presence
     * @param budgets  the outbox budgets
     * @param connections the connections here
     * @param hub      the hub
     * @param lastSeen last seen (its worker)
     */
    record Parts(ChatSettings settings, DbClient db, ChatMetrics metrics, MessageStore store, JwksKeySource keys,
                 RedisBus bus, SessionGuard sessions, Presence presence, OutboxBudgets budgets,
                 LocalConnections connections, ChatHub hub, LastSeen lastSeen) {

        /** Starts the store's writers, connects to Redis and starts the timers, every handler being registered. */
        void start() {
            store.start();
            bus.start();
            presence.start();
            sessions.start();
            hub.start();
        }

        /** Stops everything at once. */
        void stop() {
            sessions.close();
            presence.close();
            lastSeen.close();
            bus.close();
            store.close();
            db.close();
        }
    }
}
