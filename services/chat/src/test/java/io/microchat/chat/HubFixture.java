package io.microchat.chat;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.Metrics;
import io.helidon.websocket.WsSession;
import io.microchat.common.AuthenticatedUser;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.awaitility.Awaitility;

/**
 * One chat instance's logic built as {@link Main#build} builds it, over in-memory stand-ins: messages in memory,
 * pub/sub in memory ({@link InMemoryPubSub}), every name registered, every session active, a token that is the
 * username. No Redis, no MongoDB, no auth service, no sockets; clients are {@link Client}s.
 */
final class HubFixture {

    static final Duration WAIT = Duration.ofSeconds(2);
    /** Names {@link #users} does not know. */
    static final String NOBODY = "nobody";

    final ChatSettings settings;
    final InMemoryMessages store;
    final InMemoryPubSub bus;
    final LocalConnections connections = new LocalConnections();
    final Online presence = new Online();
    final Replay replay;
    final ChatHub hub;
    private final ChatMetrics metrics;
    private final OutboxBudgets budgets;

    HubFixture(String instanceId, InMemoryPubSub.Network network, InMemoryMessages store) {
        this(instanceId, network, store, null);
    }

    /**
     * An instance whose groups are kept in a database (mongo-java-server: groups have no in-memory stand-in).
     *
     * @param instanceId the instance
     * @param network    the pub/sub the instances share
     * @param store      the messages the instances share
     * @param groups     the groups the instances share, or null for an instance whose group frames fail
     */
    HubFixture(String instanceId, InMemoryPubSub.Network network, InMemoryMessages store, GroupStore groups) {
        this.settings = ChatSettings.from(Config.just(ConfigSources.create(Map.of("app.instance-id", instanceId)),
                                                      ConfigSources.classpath("application.yaml")).get("app"));
        this.store = store;
        this.bus = new InMemoryPubSub(network);
        this.metrics = new ChatMetrics(Metrics.globalRegistry(), instanceId);
        Authentication authentication = new Authentication(
                token -> new AuthenticatedUser("id-" + token, token, Instant.now().plusSeconds(3_600), "s-" + token),
                metrics);
        // edits and deletes live in MongoDB (MessageChanges): none here; MessageEditingTest runs them full-stack
        this.replay = new Replay(store, connections, metrics, settings.replay(), bus, (user, after, limit) -> List.of());
        Delivery delivery = new Delivery(instanceId, connections, bus);
        ChatSettings.Limits limits = settings.limits();
        this.budgets = limits.budgets();
        UserSendLimits sendLimits = new UserSendLimits(limits.messagesPerSecond(), limits.burst(),
                                                       presence::instancesWith);
        UserDirectory users = name -> NOBODY.equals(name) ? Optional.empty() : Optional.of(name);
        Messaging messaging = new Messaging(store, users, groups, delivery, bus, sendLimits, budgets, limits, metrics,
                                            ConversationReading.NONE);
        GroupChats groupChats = new GroupChats(groups, users, messaging, ConversationReading.NONE);
        ConversationMembers members = new ConversationMembers(users, groups == null ? ConversationMembers.NO_GROUPS
                : groups::othersOf);
        UserSettings.Store defaults = new UserSettings.Store() {
            @Override
            public UserPreferences.Settings settings(String userKey) {
                return UserPreferences.Settings.DEFAULT;
            }

            @Override
            public UserPreferences.Settings update(String userKey, Boolean readReceipts, Boolean showLastSeen) {
                return UserPreferences.Settings.DEFAULT;
            }
        };
        // read markers need MongoDB: the full-stack ReadReceiptsClusterTest covers them
        Reads reads = new Reads(null, new Typing(members, delivery, System::currentTimeMillis),
                                                new UserSettings(defaults, delivery));
        SessionCheck sessions = new SessionCheck() {
            @Override
            public boolean admit(Connection connection, AuthenticatedUser user) {
                return true;
            }

            @Override
            public void reauthenticate(Connection connection, Command.Reauth reauth) {
            }
        };
        this.hub = new ChatHub(settings, connections, authentication, sessions, messaging, groupChats, replay,
                               presence, bus, store, budgets, metrics, null, reads);
    }

    /**
     * A client that opened a connection and sent {@code auth}; its welcome and replay are under way.
     *
     * @param username    who
     * @param resumeAfter the newest message id it holds, or null
     * @return the client
     */
    Client connect(String username, String resumeAfter) {
        Client client = new Client(this);
        var auth = Json.createObjectBuilder().add("type", "auth").add("token", username);
        if (resumeAfter != null) {
            auth.add("resumeAfter", resumeAfter);
        }
        client.send(auth.build().toString());
        return client;
    }

    /**
     * A client that authenticated and got its replay.
     *
     * @param username who
     * @return the client
     */
    Client connected(String username) {
        Client client = connect(username, null);
        client.await("replayed");
        return client;
    }

    /** A client over a session in memory. */
    static final class Client {
        final Session session = new Session();
        final Connection connection;
        private final HubFixture fixture;

        Client(HubFixture fixture) {
            this.fixture = fixture;
            this.connection = new Connection(session, fixture.metrics, fixture.budgets, 20, 40);
            fixture.hub.opened(connection);
        }

        void send(String frame) {
            fixture.hub.onFrame(connection, frame);
        }

        void sendPrivate(String clientId, String to, String text) {
            send(Json.createObjectBuilder().add("type", "send").add("clientId", clientId).add("to", to)
                         .add("text", text).build().toString());
        }

        void close() {
            fixture.hub.closed(connection);
        }

        /** Waits for a frame of a type. */
        JsonObject await(String type) {
            return await(frame -> type.equals(frame.getString("type")));
        }

        JsonObject await(Predicate<JsonObject> what) {
            return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                    .until(() -> frames().stream().filter(what).findFirst(), Optional::isPresent).get();
        }

        /** The frames received so far, in order. */
        List<JsonObject> frames() {
            return session.frames.stream().map(text -> Json.createReader(new StringReader(text)).readObject())
                    .toList();
        }

        /** The types of the frames received so far. */
        List<String> types() {
            return frames().stream().map(frame -> frame.getString("type")).toList();
        }
    }

    /** A WebSocket session that keeps what is written to it, fragments joined. */
    static final class Session extends RecordingSession {
        final List<String> frames = new CopyOnWriteArrayList<>();
        private final StringBuilder fragments = new StringBuilder();

        @Override
        public synchronized WsSession send(String text, boolean last) {
            fragments.append(text);
            if (last) {
                frames.add(fragments.toString());
                fragments.setLength(0);
            }
            return this;
        }
    }

    /** Presence of this instance alone. */
    static final class Online implements OnlineUsers {
        final Map<String, Integer> connections = new ConcurrentHashMap<>();
        volatile boolean left;

        @Override
        public void connected(String key, String name) {
            connections.merge(key, 1, Integer::sum);
        }

        @Override
        public void disconnected(String key) {
            connections.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }

        @Override
        public List<String> online() {
            return List.copyOf(connections.keySet());
        }

        @Override
        public int instancesWith(String key) {
            return connections.containsKey(key) ? 1 : 0;
        }

        @Override
        public void leave() {
            left = true;
        }
    }
}
