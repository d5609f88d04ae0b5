package io.microchat.chat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.mongodb.MongoException;
import io.microchat.common.AuthenticatedUser;
import io.microchat.protocol.CloseCode;
import io.microchat.protocol.ErrorCode;

/**
 * The connections of one instance: their registry ({@link LocalConnections}), their lifecycle (open,
 * authenticate, close), what each client frame does, and the drain on shutdown. A frame is decoded once into a
 * {@link Command} ({@link CommandDecoder}); the commands about messages are {@link Messaging}'s, the way a message
 * reaches its recipients is {@link Delivery}'s, and what a connection missed is {@link Replay}'s.
 *
 * <p>An instance takes a user's pub/sub channel before it replays that user's missed messages, so every message is
 * either published after the subscription or stored before the replay query: none falls between the two. Each
 * authenticated connection holds one reference to its user's channel ({@link PubSub#subscribe}), taken and dropped
 * outside the registry's per-user lock (it is a write to Redis); the bus counts the references, so the last
 * connection's unsubscribe and a new connection's subscribe cannot undo each other.
 */
final class ChatHub {

    private static final Logger LOGGER = Logger.getLogger(ChatHub.class.getName());
    /** How long a drain waits for clients to answer its close frames. */
    private static final long CLOSE_HANDSHAKE_MILLIS = 2_000;
    /** How often connections whose socket ended unannounced are looked for. */
    static final long SWEEP_MILLIS = 2_000;
    /** How long an {@code auth} waits for pub/sub to confirm the user's channel before it replays anyway. */
    private static final long SUBSCRIPTION_WAIT_MILLIS = 2_000;
    /** What a frame is until it was decoded: it names no send or request. */
    private static final Command NOT_DECODED = new Command.Ping();

    private final ChatSettings settings;
    private final LocalConnections connections;
    private final CommandDecoder decoder;
    private final Authentication authentication;
    private final SessionCheck sessions;
    private final Messaging messaging;
    private final GroupChats groupChats;
    private final Replay replay;
    private final OnlineUsers presence;
    private final PubSub bus;
    private final MessageRepository store;
    private final OutboxBudgets budgets;
    private final ChatMetrics metrics;
    private final MessageEditing editing;
    private final Reads reads;
    private final Welcome welcome;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("chat-timers").daemon().unstarted(r));
    private volatile boolean draining;

    /**
     * A hub.
     *
     * @param settings       the settings
     * @param connections    the registry of connections (read by delivery, replay and the session guard too)
     * @param authentication checks tokens
     * @param sessions       checks sessions
     * @param messaging      the commands about messages
     * @param groupChats     the commands about groups
     * @param replay         replay and catch-up
     * @param presence       who is online
     * @param bus            pub/sub (the users' channels)
     * @param store          the messages (drained on shutdown)
     * @param budgets        the instance's outbox budgets
     * @param metrics        metrics
     * @param editing        edits and deletes
     * @param reads          read markers, typing and settings
     */
    ChatHub(ChatSettings settings, LocalConnections connections, Authentication authentication, SessionCheck sessions,
            Messaging messaging, GroupChats groupChats, Replay replay, OnlineUsers presence, PubSub bus,
            MessageRepository store, OutboxBudgets budgets, ChatMetrics metrics, MessageEditing editing, Reads reads) {
        this.settings = settings;
        this.connections = connections;
        this.decoder = new CommandDecoder(settings.limits().maxTextLength(), settings.groups().maxMembers());
        this.authentication = authentication;
        this.sessions = sessions;
        this.messaging = messaging;
        this.groupChats = groupChats;
        this.replay = replay;
        this.presence = presence;
        this.bus = bus;
        this.store = store;
        this.budgets = budgets;
        this.metrics = metrics;
        this.editing = editing;
        this.reads = reads;
        this.welcome = new Welcome(settings, presence, reads.settings());
    }

    /** Starts looking for connections whose socket ended unannounced. */
    void start() {
        timers.scheduleWithFixedDelay(this::forgetDeadConnections, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connections whose socket ended without a close frame are never reported by Helidon 4.1 (its reading thread
     * ends, no listener method is called): without this sweep they would stay online and hold their outbox for
     * ever. Costs one {@code isAlive} a connection every {@link #SWEEP_MILLIS}.
     */
    private void forgetDeadConnections() {
        for (Connection connection : connections.all()) {
            if (!connection.isReading()) {
                closed(connection);
            }
        }
    }

    String instanceId() {
        return settings.instanceId();
    }

    boolean isDraining() {
        return draining;
    }

    // ---- connection lifecycle -------------------------------------------------------------------------------

    void opened(Connection connection) {
        connections.add(connection);
        metrics.connectionOpened();
        if (draining) {
            connection.send(ServerFrames.reconnectElsewhere());
            connection.close(CloseCode.GOING_AWAY, "server draining");
            return;
        }
        Duration authTimeout = settings.limits().authTimeout();
        ScheduledFuture<?> timeout = timers.schedule(() -> {
            if (!connection.isAuthenticated()) {
                connection.send(ServerFrames.error(ErrorCode.AUTH_TIMEOUT, "Authenticate within "
                        + authTimeout.toSeconds() + " seconds of connecting.", null, null));
                connection.close(CloseCode.AUTH_TIMEOUT, "authentication timeout");
            }
        }, authTimeout.toMillis(), TimeUnit.MILLISECONDS);
        connection.cancelOnAuthentication(timeout);
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
            connections.leave(key, connection, () -> presence.disconnected(key));
            bus.unsubscribe(Channels.user(key));
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
        if (connection.isClosed()) {
            return; // closed as too slow (or by the client): what it still sent is not worth building answers for
        }
        Command command = NOT_DECODED;
        try {
            if (!connection.frameLimit().tryAcquire()) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "Too many frames; slow down.");
            }
            command = decoder.decode(text, connection.isAuthenticated());
            switch (command) {
            case Command.Auth auth -> authenticate(connection, auth);
            case Command.Reauth reauth -> sessions.reauthenticate(connection, reauth);
            case Command.Send send -> {
                if (draining) {
                    throw new ProtocolException(ErrorCode.DRAINING,
                                                "This server is shutting down; reconnect and send again.");
                }
                messaging.send(connection, send);
            }
            case Command.Received received -> messaging.received(connection, received);
            case Command.History history -> messaging.history(connection, history);
            case Command.MissedHistory missed -> messaging.missedHistory(connection, missed);
            case Command.Conversations conversations -> messaging.conversations(connection, conversations);
            case Command.Ping ping -> connection.send(ServerFrames.pong());
            case Command.GroupRequest request -> groupChats.handle(connection, request);
            case Command.Edit edit -> editing.edit(connection, edit);
            case Command.Delete delete -> editing.delete(connection, delete);
            case Command.Read read -> reads.receipts().read(connection, read);
            case Command.Typing typing -> reads.typing().typing(connection, typing);
            case Command.ChangeSettings change -> reads.settings().change(connection, change);
            }
        } catch (ProtocolException e) {
            // a decoding error names its frame itself; a handler's is named after its command
            ProtocolException answer = e.answering(command.clientId(), command.requestId());
            reject(connection, answer.code(), answer.getMessage(), answer.clientId(), answer.requestId());
        } catch (OverloadedException e) {
            metrics.rejected(ErrorCode.OVERLOADED);
            connection.send(ServerFrames.overloaded(e.getMessage(), command.clientId(), command.requestId(),
                                                    e.retryAfterMillis()));
        } catch (MongoException e) {
            metrics.error("mongodb");
            reject(connection, ErrorCode.STORE_UNAVAILABLE, "Storage is unavailable; try again shortly.",
                   command.clientId(), command.requestId());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "frame handling failed", e);
            reject(connection, ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.", command.clientId(),
                   command.requestId());
        }
    }

    /**
     * Answers a frame that was refused with an error frame; the connection stays open.
     *
     * @param connection the connection
     * @param code       the error code
     * @param message    what happened, for people
     */
    void reject(Connection connection, String code, String message) {
        reject(connection, code, message, null, null);
    }

    private void reject(Connection connection, String code, String message, String clientId, String requestId) {
        metrics.rejected(code);
        connection.send(ServerFrames.error(code, message, clientId, requestId));
    }

    private void authenticate(Connection connection, Command.Auth auth) {
        AuthenticatedUser user = authentication.verified(connection, auth.token());
        if (user == null || !sessions.admit(connection, user)) {
            return;
        }
        // frames for this user (presence, receipts, live messages) wait behind the welcome and the replay
        connection.startReplay();
        String key = Users.key(user.username());
        connection.authenticated(user, budgets.join(key));
        CompletableFuture<Void> subscribed = bus.subscribe(Channels.user(key));
        connections.join(key, connection, () -> presence.connected(key, user.username()));
        boolean confirmed = PubSub.confirmedWithin(subscribed, SUBSCRIPTION_WAIT_MILLIS);
        connection.send(welcome.frame(user, key));
        connection.welcomed();
        replay.replay(connection, auth.resumeAfter());
        if (!confirmed) {
            // what was published before the subscription took effect was not heard: look again once it has
            subscribed.thenRunAsync(() -> replay.catchUp(connection), Thread::startVirtualThread);
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
        String reconnect = ServerFrames.reconnectElsewhere();
        for (Connection connection : connections.all()) {
            connection.send(reconnect);
        }
        for (Connection connection : connections.all()) {
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
}
