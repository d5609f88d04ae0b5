package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.MongoException;
import io.microchat.protocol.ErrorCode;

/**
 * What a connection missed, read back from the store: the replay after {@code auth}, and the catch-up of every
 * connection here when pub/sub may have lost messages (the subscription came back after an outage, or another
 * instance died, perhaps after storing and acknowledging messages it never published).
 *
 * <p>A replay sends, oldest first, everything after the client's {@code resumeAfter} (minus the overlap that covers
 * clock skew between instances; the client drops ids it holds) and the private messages to the user that no
 * client of theirs confirmed yet. Past the replay limit it sends the newest and says where the rest ends
 * ({@code truncated}, {@code before}), for the client to page back. Live messages wait until the replay is out
 * ({@link Connection#startReplay}).
 *
 * <p>A replay from a point (a resume or a catch-up) also sends, after the messages, an {@code edited} or
 * {@code deleted} frame for every message of the user's conversations changed since that point, its latest change,
 * oldest first (at most the replay limit; {@code changesTruncated} past it), so that a client learns of changes to
 * messages older than the ones it missed.
 */
final class Replay {

    private final MessageRepository store;
    private final LocalConnections connections;
    private final ChatMetrics metrics;
    private final ChatSettings.Replay settings;
    private final ChangesSince changes;

    /**
     * Replay; it catches every connection up when the pub/sub subscription comes back.
     *
     * @param store       the messages
     * @param connections the connections here
     * @param metrics     metrics
     * @param settings    the overlap and the limit
     * @param bus         pub/sub, whose outages it repairs
     * @param changes     the changes to messages since a point ({@link MessageChanges#since})
     */
    Replay(MessageRepository store, LocalConnections connections, ChatMetrics metrics, ChatSettings.Replay settings,
           PubSub bus, ChangesSince changes) {
        this.store = store;
        this.changes = changes;
        this.connections = connections;
        this.metrics = metrics;
        this.settings = settings;
        bus.onResubscribed(this::catchUpAll);
    }

    /**
     * Sends a connection what it missed; the connection must be in replay ({@link Connection#startReplay}).
     *
     * @param connection  the connection
     * @param resumeAfter the newest message id the client holds, or null
     */
    void replay(Connection connection, String resumeAfter) {
        int limit = settings.limit();
        String after = resumeAfter == null ? null
                : MessageIds.floorAt(MessageIds.timeOf(resumeAfter) - settings.overlap().toMillis());
        List<ChatMessage> newestFirst = List.of();
        List<MessageChanges.Change> changed = List.of();
        try {
            newestFirst = store.missed(connection.userKey(), after, null, limit + 1);
            if (after != null) {
                changed = changes.since(connection.userKey(), after, limit + 1);
            }
        } catch (MongoException e) {
            metrics.error("mongodb");
            connection.send(ServerFrames.error(ErrorCode.REPLAY_FAILED,
                                               "Missed messages could not be loaded; reconnect to retry.", null, null));
        }
        String before = null;
        if (newestFirst.size() > limit) {
            newestFirst = newestFirst.subList(0, limit);
            before = newestFirst.get(limit - 1).id();
        }
        List<ReplayGate.Held> replayed = new ArrayList<>(newestFirst.size());
        for (ChatMessage message : newestFirst.reversed()) {
            if (!connection.hasDelivered(message.id())) {
                replayed.add(new ReplayGate.Held(message, ServerFrames.message(message), ChatMetrics.Path.REPLAY));
            }
        }
        metrics.replayed(replayed.size());
        int count = replayed.size();
        if (after == null) {
            connection.finishReplay(replayed, ServerFrames.replayed(count, before, null));
            return;
        }
        boolean changesTruncated = changed.size() > limit;
        for (MessageChanges.Change change : changesTruncated ? changed.subList(1, changed.size()) : changed) {
            replayed.add(new ReplayGate.Held(null, ServerFrames.change(change, connection.userKey(), null), null));
        }
        connection.finishReplay(replayed, ServerFrames.replayed(count, before, after, replayed.size() - count,
                                                                changesTruncated));
    }

    /** The changes to messages since a point: {@link MessageChanges#since}. */
    @FunctionalInterface
    interface ChangesSince {

        /**
         * The latest change of each message of a user's conversations changed after a point, the newest
         * {@code limit}, oldest change first.
         *
         * @param userKey  the user
         * @param afterRev only changes after this id
         * @param limit    most changes
         * @return the changed messages as they are now
         */
        List<MessageChanges.Change> since(String userKey, String afterRev, int limit);
    }

    /** Every connection here catches up on what pub/sub may have missed. */
    void catchUpAll() {
        for (Connection connection : connections.all()) {
            catchUp(connection);
        }
    }

    /**
     * One connection catches up: a replay from the last message it got (or from when it authenticated).
     *
     * <p>A connection not welcomed yet (its {@code auth} runs) is skipped: a catch-up must not send before the
     * {@code welcome}. Nothing is lost by it. The {@code auth} took the user's channel before, and queries its own
     * replay after, the welcome; so a message that pub/sub lost before this catch-up was called was stored before
     * that query and is in the replay (as far as the replay owes it to this client: after its {@code resumeAfter},
     * or private and unconfirmed, just as without an outage), and one published later is heard live (held behind
     * the replay). When the {@code auth}'s subscription is not confirmed in time, the {@code auth} itself asks for a
     * catch-up once it is, after the welcome. A catch-up that comes while a replay runs overlaps it: the
     * {@link ReplayGate} counts them.
     *
     * @param connection the connection
     */
    void catchUp(Connection connection) {
        if (connection.isWelcomed() && !connection.isClosed()) {
            String last = connection.lastDeliveredId();
            connection.startReplay();
            replay(connection, last != null ? last : MessageIds.floorAt(connection.authenticatedAt()));
        }
    }
}
