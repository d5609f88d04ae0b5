package io.microchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.mongodb.MongoException;
import io.microchat.common.AuthenticatedUser;
import io.microchat.common.TokenRejectedException;
import io.microchat.common.TokenVerifier;
import io.microchat.protocol.CloseCode;
import io.microchat.protocol.Rooms;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The chat logic of one instance: who is connected here, what a client frame does, and how a message reaches
 * every connection of its recipients, here and on the other instances.
 *
 * <p>A message is stored first (group commit), then acknowledged to its sender, then delivered: straight to the
 * recipient's connections on this instance, and published on the recipient's Redis channel for the others (an
 * instance ignores its own publications). An instance subscribes to a user's channel before it replays that
 * user's missed messages from MongoDB, so every message is either published after the subscription or stored
 * before the replay query: none falls between the two.
 */
final class ChatHub {

    private static final Logger LOGGER = Logger.getLogger(ChatHub.class.getName());
    private static final int MAX_CLIENT_ID = 64;
    /** How long a drain waits for clients to answer its close frames. */
    private static final long CLOSE_HANDSHAKE_MILLIS = 2_000;
    /** How often connections whose socket ended unannounced are looked for. */
    static final long SWEEP_MILLIS = 2_000;

    private final String instanceId;
    private final ChatSettings settings;
    private final TokenVerifier verifier;
    private final MessageStore store;
    private final Users users;
    private final ChatMetrics metrics;
    private final LoadLimits limits;
    private final OutboxBudgets budgets;
    private final MessageIds ids = new MessageIds();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("chat-timers").daemon().unstarted(r));
    private RedisBus bus;
    private Presence presence;
    private SessionGuard sessions;
    private UserSendLimits sendLimits;
    private volatile boolean draining;
    /**
     * Messages this instance relayed a receipt for lately: a user's other devices confirm them too, within moments.
     * Bounded small (a repeat that slips through costs one more {@code delivered} frame, which clients ignore).
     */
    private final Map<String, Boolean> receipted = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 16_384;
                }
            });

    ChatHub(String instanceId, ChatSettings settings, LoadLimits limits, TokenVerifier verifier, MessageStore store,
            Users users, ChatMetrics metrics) {
        this.instanceId = instanceId;
        this.limits = limits;
        this.budgets = limits.budgets();
        this.settings = settings;
        this.verifier = verifier;
        this.store = store;
        this.users = users;
        this.metrics = metrics;
    }

    /**
     * Connects the hub to the bus and presence it needs (they call back into the hub, hence not in the
     * constructor).
     *
     * @param bus      Redis pub/sub
     * @param presence presence
     */
    void attach(RedisBus bus, Presence presence) {
        this.bus = bus;
        this.presence = presence;
        timers.scheduleWithFixedDelay(this::forgetDeadConnections, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connections whose socket ended without a close frame are never reported by Helidon 4.1 (its reading thread
     * ends, no listener method is called): without this sweep they would stay online and hold their outbox for
     * ever. Costs one {@code isAlive} a connection every {@link #SWEEP_MILLIS}.
     */
    private void forgetDeadConnections() {
        for (Connection connection : connections) {
            if (!connection.isReading()) {
                closed(connection);
            }
        }
    }

    /**
     * Connects the hub to the session checks and per-user limits.
     *
     * @param guard  session revocation and expiry
     * @param limits the per-user send limit
     */
    void attachSessions(SessionGuard guard, UserSendLimits limits) {
        this.sessions = guard;
        this.sendLimits = limits;
    }

    SessionGuard sessionGuard() {
        return sessions;
    }

    Iterable<Connection> connections() {
        return connections;
    }

    /**
     * On how many instances a user has connections, as this one knows.
     *
     * @param username the user
     * @return the count
     */
    int instancesWith(String username) {
        return presence.instancesWith(Users.key(username));
    }

    String instanceId() {
        return instanceId;
    }

    boolean isDraining() {
        return draining;
    }

    ChatMetrics metrics() {
        return metrics;
    }

    ChatSettings settings() {
        return settings;
    }

    OutboxBudgets budgets() {
        return budgets;
    }

    int connectionCount() {
        return connections.size();
    }

    // ---- connection lifecycle -------------------------------------------------------------------------------

    void opened(Connection connection) {
        connections.add(connection);
        metrics.connectionOpened();
        ScheduledFuture<?> timeout = timers.schedule(() -> {
            if (!connection.isAuthenticated()) {
                connection.send(Frames.error("auth_timeout", "Authenticate within "
                        + settings.authTimeout().toSeconds() + " seconds of connecting.", null, null));
                connection.close(CloseCode.AUTH_TIMEOUT, "authentication timeout");
            }
        }, settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        connection.onClose(() -> timeout.cancel(false));
        if (draining) {
            connection.send(Frames.reconnect("draining"));
            connection.close(CloseCode.GOING_AWAY, "server draining");
        }
    }

    void closed(Connection connection) {
        if (!connections.remove(connection)) {
            return;
        }
        connection.closedByPeer();
        metrics.connectionClosed();
        if (connection.isAuthenticated()) {
            String key = connection.userKey();
            budgets.leave(key);
            byUser.computeIfPresent(key, (k, set) -> {
                set.remove(connection);
                presence.disconnected(key);
                if (set.isEmpty()) {
                    bus.unsubscribe(Channels.user(key));
                    return null;
                }
                return set;
            });
        }
    }

    // ---- client frames --------------------------------------------------------------------------------------

    /**
     * Handles one whole client frame.
     *
     * @param connection where it came from
     * @param text       the frame
     */
    void onFrame(Connection connection, String text) {
        JsonObject frame = null;
        if (connection.isClosed()) {
            return; // closed as too slow (or by the client): what it still sent is not worth building answers for
        }
        try {
            if (!connection.frameLimit().tryAcquire()) {
                throw new ProtocolException("rate_limited", "Too many frames; slow down.");
            }
            frame = Frames.parse(text);
            String type = Frames.type(frame);
            if (!connection.isAuthenticated() && !"auth".equals(type)) {
                throw new ProtocolException("not_authenticated", "Send an 'auth' frame first.");
            }
            switch (type) {
            case "auth" -> authenticate(connection, frame);
            case "reauth" -> sessions.reauthenticate(connection, frame);
            case "send" -> send(connection, frame);
            case "received" -> received(connection, frame);
            case "history" -> history(connection, frame);
            case "conversations" -> conversations(connection, frame);
            case "ping" -> connection.send(Frames.pong());
            default -> throw new ProtocolException("unknown_type", "Unknown frame type '" + type + "'.");
            }
        } catch (ProtocolException e) {
            reject(connection, e.code(), e.getMessage(), frame);
        } catch (OverloadedException e) {
            metrics.rejected("overloaded");
            connection.send(Frames.overloaded(e.getMessage(), echo(frame, "clientId"), echo(frame, "requestId"),
                                              e.retryAfterMillis()));
        } catch (MongoException e) {
            metrics.error("mongodb");
            reject(connection, "store_unavailable", "Storage is unavailable; try again shortly.", frame);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "frame handling failed", e);
            reject(connection, "internal_error", "Something went wrong on our side.", frame);
        }
    }

    void reject(Connection connection, String code, String message, JsonObject frame) {
        metrics.rejected(code);
        connection.send(Frames.error(code, message, echo(frame, "clientId"), echo(frame, "requestId")));
    }

    private void authenticate(Connection connection, JsonObject frame) {
        if (connection.isAuthenticated()) {
            throw new ProtocolException("already_authenticated", "This connection is authenticated already.");
        }
        String token = Frames.requiredString(frame, "token");
        String resumeAfter = Frames.optionalString(frame, "resumeAfter");
        if (resumeAfter != null && !MessageIds.isValid(resumeAfter)) {
            throw new ProtocolException("invalid_field", "'resumeAfter' must be a message id.");
        }
        AuthenticatedUser user = verified(connection, token);
        if (user == null || !sessions.admit(connection, user)) {
            return;
        }
        // frames for this user (presence, receipts, live messages) wait behind the welcome and the replay
        connection.startReplay();
        connection.authenticated(user, budgets.join(Users.key(user.username())));

        String key = connection.userKey();
        var subscribed = new AtomicReference<CompletableFuture<Void>>();
        byUser.compute(key, (k, set) -> {
            Set<Connection> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            // the first connection subscribes; a later one waits for the same confirmation
            subscribed.set(result.isEmpty() ? bus.subscribe(Channels.user(key))
                                   : bus.confirmation(Channels.user(key)));
            result.add(connection);
            presence.connected(key, user.username());
            return result;
        });
        boolean confirmed = awaitSubscription(subscribed.get());
        connection.send(Frames.welcome(user.userId(), user.username(), instanceId, presence.online(),
                                       settings.maxTextLength(), settings.messagesPerSecond(), settings.burst()));
        replay(connection, resumeAfter);
        if (!confirmed) {
            // what was published before the subscription took effect was not heard: look again once it has
            subscribed.get().thenRunAsync(() -> catchUp(connection), Thread::startVirtualThread);
        }
    }

    /**
     * Verifies an access token, for {@code auth} and {@code reauth}.
     *
     * @param connection where it came from
     * @param token      the token
     * @return who it speaks for, or null when it was refused (the connection is told and closed)
     */
    AuthenticatedUser verified(Connection connection, String token) {
        try {
            return verifier.verify(token);
        } catch (TokenRejectedException e) {
            metrics.rejected("invalid_token");
            connection.send(Frames.error("invalid_token", "The access token is not valid: " + e.getMessage() + ".",
                                         null, null));
            connection.close(CloseCode.UNAUTHORIZED, "invalid token");
            return null;
        } catch (KeysUnavailableException e) {
            // the token may well be good: say so, so that the client retries instead of dropping it
            metrics.rejected("unavailable");
            connection.send(Frames.error("unavailable", "The token cannot be checked right now (" + e.getMessage()
                    + "); reconnect in a few seconds.", null, null));
            connection.close(CloseCode.TRY_AGAIN_LATER, "signing keys unavailable");
            return null;
        }
    }

    /** Waits a little for Redis to confirm a subscription; false when it did not (busy or away). */
    private static boolean awaitSubscription(CompletableFuture<Void> subscription) {
        if (subscription == null) {
            return true;
        }
        try {
            subscription.get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private void send(Connection connection, JsonObject frame) {
        if (draining) {
            throw new ProtocolException("draining", "This server is shutting down; reconnect and send again.");
        }
        if (!sendLimits.tryAcquire(connection.userKey())) {
            throw new ProtocolException("rate_limited", "More than " + settings.messagesPerSecond()
                    + " messages a second from this user; this one was dropped.");
        }
        String clientId = Frames.requiredString(frame, "clientId");
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
            throw new ProtocolException("invalid_field", "'clientId' must be 1 to " + MAX_CLIENT_ID + " characters.");
        }
        String text = Frames.requiredString(frame, "text");
        if (text.isBlank()) {
            throw new ProtocolException("invalid_field", "'text' must not be empty.");
        }
        if (text.length() > settings.maxTextLength()
                && text.codePointCount(0, text.length()) > settings.maxTextLength()) {
            throw new ProtocolException("text_too_long", "'text' must be at most " + settings.maxTextLength()
                    + " characters.");
        }
        String to = Frames.optionalString(frame, "to");
        String room = Frames.optionalString(frame, "room");
        if ((to == null) == (room == null)) {
            throw new ProtocolException(to == null ? "missing_field" : "invalid_field",
                                        "Give exactly one of 'to' (a username) or 'room'.");
        }
        long retryAfter = overloadedFor();
        if (retryAfter > 0) {
            throw new OverloadedException("The server is overloaded; this message was not stored. Send it again "
                                          + "with the same clientId after retryAfterMs.", retryAfter);
        }
        String recipient = null;
        if (to != null) {
            recipient = users.registeredName(to)
                    .orElseThrow(() -> new ProtocolException("unknown_user", "There is no user '" + to + "'."));
        } else if (!Rooms.ALL.equals(room)) {
            throw new ProtocolException("unknown_room", "The only room is '" + Rooms.ALL + "'.");
        }
        long now = System.currentTimeMillis();
        ChatMessage message = new ChatMessage(ids.next(now), now, connection.username(), recipient,
                                              recipient == null ? room : null, text, clientId, null);
        metrics.received();
        store.store(message).whenComplete((stored, failure) -> {
            if (failure instanceof OverloadedException overloaded) {
                metrics.rejected("overloaded");
                connection.send(Frames.overloaded("The send queue is full; this message was not stored.", clientId,
                                                  null, overloaded.retryAfterMillis()));
                return;
            }
            if (failure != null) {
                metrics.rejected("store_unavailable");
                connection.send(Frames.error("store_unavailable",
                                             "The message was not stored; send it again.", clientId, null));
                return;
            }
            connection.send(Frames.sent(clientId, stored.message().id(), stored.message().ts()));
            if (FaultInjection.stallsBeforePublish(stored.message())) {
                return;
            }
            // a retry too: the instance that stored the first attempt may have died before it published it
            // (receivers drop an id they hold)
            route(stored.message(), connection);
        });
    }

    /**
     * Whether a send may join the send path now: the store's queue within its bound (see {@link QueueBound}), and
     * not too many publications waiting for Redis.
     *
     * @return 0 when it may; otherwise the milliseconds after which to retry
     */
    private long overloadedFor() {
        long retryAfter = store.overloadedFor();
        if (retryAfter == 0 && bus.backlog() > limits.publishBacklog()) {
            retryAfter = QueueBound.MIN_RETRY_MILLIS;
        }
        return retryAfter;
    }

    /** Large answers wait while the outboxes of this instance hold more than their total limit. */
    private void requireOutboxRoom() {
        if (budgets.overInstanceLimit()) {
            throw new OverloadedException("The server is busy sending; ask again after retryAfterMs.", 1_000);
        }
    }

    private void route(ChatMessage message, Connection origin) {
        String frame = Frames.message(message);
        String envelope = Envelope.message(instanceId, message, frame);
        if (message.isPrivate()) {
            deliverToUser(message.toKey(), message, frame, ChatMetrics.Path.LOCAL, origin);
            bus.publish(Channels.user(message.toKey()), envelope);
            if (!message.fromKey().equals(message.toKey())) {
                // the sender's other devices
                deliverToUser(message.fromKey(), message, frame, ChatMetrics.Path.LOCAL, origin);
                bus.publish(Channels.user(message.fromKey()), envelope);
            }
        } else {
            for (Connection connection : connections) {
                if (connection != origin && connection.isAuthenticated()) {
                    connection.deliver(message, frame, ChatMetrics.Path.LOCAL);
                }
            }
            bus.publish(Channels.ROOM_ALL, envelope);
        }
    }

    private void deliverToUser(String key, ChatMessage message, String frame, ChatMetrics.Path path, Connection skip) {
        Set<Connection> targets = byUser.get(key);
        if (targets != null) {
            for (Connection connection : targets) {
                if (connection != skip) {
                    connection.deliver(message, frame, path);
                }
            }
        }
    }

    private void received(Connection connection, JsonObject frame) {
        List<String> messageIds = Frames.stringList(frame, "ids", 100);
        for (String id : messageIds) {
            if (!MessageIds.isValid(id)) {
                throw new ProtocolException("invalid_field", "'ids' must hold message ids.");
            }
            String sender = connection.recentSender(id);
            if (sender == null) {
                ChatMessage stored = store.find(id);
                if (stored == null || !connection.userKey().equals(stored.toKey())) {
                    continue; // only the recipient's confirmation counts
                }
                sender = stored.from();
            }
            if (receipted.putIfAbsent(id, Boolean.TRUE) != null) {
                continue; // another device of the recipient confirmed it already
            }
            String senderKey = Users.key(sender);
            String by = connection.username();
            store.markDelivered(id, at -> relayReceipt(id, by, senderKey, at));
        }
    }

    /** Tells the sender's connections, here and (through their channel) elsewhere, that a message was delivered. */
    private void relayReceipt(String id, String by, String senderKey, long at) {
        String receipt = Frames.delivered(id, by, at);
        for (Connection target : byUser.getOrDefault(senderKey, Set.of())) {
            target.sendLive(receipt);
        }
        bus.publish(Channels.user(senderKey), Envelope.frame(instanceId, receipt));
    }

    private void history(Connection connection, JsonObject frame) {
        if (frame.get("missed") == JsonValue.TRUE) {
            missedHistory(connection, frame);
            return;
        }
        String requestId = Frames.optionalString(frame, "requestId");
        String with = Frames.optionalString(frame, "with");
        String room = Frames.optionalString(frame, "room");
        String before = Frames.optionalString(frame, "before");
        int limit = Frames.optionalInt(frame, "limit", 50, 1, 100);
        if ((with == null) == (room == null)) {
            throw new ProtocolException(with == null ? "missing_field" : "invalid_field",
                                        "Give exactly one of 'with' (a username) or 'room'.");
        }
        if (before != null && !MessageIds.isValid(before)) {
            throw new ProtocolException("invalid_field", "'before' must be a message id.");
        }
        requireOutboxRoom();
        String conversation;
        if (with != null) {
            conversation = ChatMessage.privateConversation(connection.userKey(), Users.key(with));
        } else if (Rooms.ALL.equals(room)) {
            conversation = "room:" + room;
        } else {
            throw new ProtocolException("unknown_room", "The only room is '" + Rooms.ALL + "'.");
        }
        sendPage(connection, requestId, store.history(conversation, before, limit + 1), limit);
    }

    /** Sends a page of at most {@code limit} from one more, with the cursor of the next page when there is one. */
    private static void sendPage(Connection connection, String requestId, List<ChatMessage> onePastLimit, int limit) {
        List<ChatMessage> page = onePastLimit;
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1).id();
        }
        connection.send(Frames.history(requestId, page, next));
    }

    /**
     * A page of what a truncated replay left out, newest first: the same messages a replay carries (after
     * {@code after}, and the unconfirmed ones), older than {@code before}.
     */
    private void missedHistory(Connection connection, JsonObject frame) {
        String requestId = Frames.optionalString(frame, "requestId");
        String after = Frames.optionalString(frame, "after");
        String before = Frames.optionalString(frame, "before");
        int limit = Frames.optionalInt(frame, "limit", 50, 1, 100);
        if (frame.containsKey("with") || frame.containsKey("room")) {
            throw new ProtocolException("invalid_field",
                                        "'missed' pages span every conversation: no 'with' or 'room'.");
        }
        if ((after != null && !MessageIds.isValid(after)) || (before != null && !MessageIds.isValid(before))) {
            throw new ProtocolException("invalid_field", "'after' and 'before' must be message ids.");
        }
        sendPage(connection, requestId, store.missed(connection.userKey(), after, before, limit + 1), limit);
    }

    private void conversations(Connection connection, JsonObject frame) {
        String requestId = Frames.optionalString(frame, "requestId");
        requireOutboxRoom();
        List<ChatMessage> newest = store.conversations(connection.userKey(), 2_000, 100);
        connection.send(Frames.conversations(requestId, connection.userKey(), newest));
    }

    // ---- replay ---------------------------------------------------------------------------------------------

    /**
     * Sends a connection what it missed, oldest first: everything after {@code resumeAfter} (minus the overlap that
     * covers clock skew between instances; the client drops ids it holds), and private messages to it that no
     * client of the user confirmed yet. Past the replay limit it sends the newest and says where the rest ends
     * ({@code truncated}, {@code before}), for the client to page back. Live messages wait until the replay is out.
     */
    private void replay(Connection connection, String resumeAfter) {
        int limit = settings.replayLimit();
        String after = resumeAfter == null ? null
                : MessageIds.floorAt(MessageIds.timeOf(resumeAfter) - settings.replayOverlap().toMillis());
        List<ChatMessage> newestFirst = List.of();
        try {
            newestFirst = store.missed(connection.userKey(), after, null, limit + 1);
        } catch (MongoException e) {
            metrics.error("mongodb");
            connection.send(Frames.error("replay_failed", "Missed messages could not be loaded; reconnect to retry.",
                                         null, null));
        }
        String before = null;
        if (newestFirst.size() > limit) {
            newestFirst = newestFirst.subList(0, limit);
            before = newestFirst.get(limit - 1).id();
        }
        List<Connection.Held> replayed = new ArrayList<>(newestFirst.size());
        for (ChatMessage message : newestFirst.reversed()) {
            if (!connection.hasDelivered(message.id())) {
                replayed.add(new Connection.Held(message, Frames.message(message), ChatMetrics.Path.REPLAY));
            }
        }
        metrics.replayed(replayed.size());
        connection.finishReplay(replayed, Frames.replayed(replayed.size(), before, after));
    }

    /**
     * Every connection here catches up on what pub/sub may have missed: after Redis came back, and after another
     * instance died (it may have stored and acknowledged messages that it never published).
     */
    void catchUp() {
        for (Connection connection : connections) {
            catchUp(connection);
        }
    }

    private void catchUp(Connection connection) {
        if (connection.isAuthenticated() && !connection.isClosed()) {
            String last = connection.lastDeliveredId();
            connection.startReplay();
            replay(connection, last != null ? last : MessageIds.floorAt(connection.authenticatedAt()));
        }
    }

    // ---- from other instances -------------------------------------------------------------------------------

    void onBusMessage(String channel, String payload) {
        if (Channels.PRESENCE.equals(channel)) {
            presence.onAnnouncement(payload);
            return;
        }
        if (Channels.REVOCATIONS.equals(channel)) {
            sessions.onRevocation(payload);
            return;
        }
        if (Envelope.isFrom(payload, instanceId)) {
            return;
        }
        Envelope envelope = Envelope.parse(payload);
        if (envelope == null) {
            return;
        }
        if (Channels.ROOM_ALL.equals(channel)) {
            for (Connection connection : connections) {
                if (connection.isAuthenticated()) {
                    connection.deliver(envelope.message(), envelope.frame(), ChatMetrics.Path.REDIS);
                }
            }
        } else if (channel.startsWith(Channels.USER_PREFIX)) {
            String key = channel.substring(Channels.USER_PREFIX.length());
            for (Connection connection : byUser.getOrDefault(key, Set.of())) {
                if (envelope.message() == null) {
                    connection.sendLive(envelope.frame());
                } else {
                    connection.deliver(envelope.message(), envelope.frame(), ChatMetrics.Path.REDIS);
                }
            }
        }
    }

    void onPresenceChange(List<String> online, List<String> offline) {
        String frame = Frames.presence(online, offline);
        for (Connection connection : connections) {
            if (connection.isAuthenticated()) {
                connection.sendLive(frame);
            }
        }
    }

    // ---- shutdown -------------------------------------------------------------------------------------------

    /**
     * Drains this instance: no new connections or sends, in-flight messages stored and acknowledged, clients told
     * to reconnect elsewhere and closed, presence removed.
     *
     * @param timeout the longest the drain may take
     */
    void drain(Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        draining = true;
        LOGGER.info("draining " + connections.size() + " connections");
        store.awaitDrained(Math.max(0, deadline - System.currentTimeMillis()) / 2);
        String reconnect = Frames.reconnect("draining");
        for (Connection connection : connections) {
            connection.send(reconnect);
        }
        for (Connection connection : connections) {
            connection.awaitFlushed(Math.max(0, Math.min(1_000, deadline - System.currentTimeMillis())));
            connection.close(CloseCode.GOING_AWAY, "server draining; reconnect");
        }
        awaitClientsClosed(Math.min(deadline, System.currentTimeMillis() + CLOSE_HANDSHAKE_MILLIS));
        bus.awaitPublished(Math.max(0, deadline - System.currentTimeMillis()));
        presence.leave();
        timers.shutdownNow();
    }

    /**
     * Waits for the clients to answer the close frames. Stopping the server closes the sockets, and a socket closed
     * while a client's frames are still unread is reset: the client then loses the close frame (1006 instead of
     * 1001). A client that answered sends nothing more.
     */
    private void awaitClientsClosed(long until) {
        while (!connections.isEmpty() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String echo(JsonObject frame, String field) {
        if (frame == null) {
            return null;
        }
        JsonValue value = frame.get(field);
        return value instanceof JsonString string && string.getString().length() <= 128 ? string.getString() : null;
    }
}
