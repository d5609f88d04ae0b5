package io.microchat.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.microchat.common.AuthenticatedUser;

/**
 * One client WebSocket connection: who it is, and its outbox.
 *
 * <p>Frames for the client go through its {@link Outbox}, bounded by bytes: a client that lets too much pile up
 * is disconnected; it reconnects and replays from MongoDB, so nothing is lost.
 *
 * <p>While the replay after authentication runs, live messages are held back and sent after the replayed ones,
 * minus those the replay already carried, so the client sees one ordered stream.
 */
final class Connection {

    /** What {@link #assemble} returns for a message over the limit; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    static final String OVERSIZED = new String("oversized");
    /**
     * Enough for a client's confirmations to find the sender without a database read (they follow the message
     * within a burst); small because every connection holds one and entries that outlive a young collection make
     * the collector copy them.
     */
    private static final int RECENT_DELIVERIES = 64;
    /**
     * Largest UTF-8 size of one outgoing fragment: Helidon's per-connection send buffer starts at 1,024 bytes
     * (frame header included) and keeps the size of the largest frame ever sent (see {@link TextFragments}).
     */
    static final int FRAGMENT_BYTES = 1016;

    private final Outbox outbox;
    /** The thread that reads this client's frames (Helidon's, one per connection); built on it. */
    private final Thread reader;
    private final RateLimiter frameLimit;
    /** Incoming fragments of a message; only while one is being received (most messages are one frame). */
    private StringBuilder fragments;
    private boolean oversizedFragments;
    private volatile AuthenticatedUser user;
    private String userKey;
    private long authenticatedAt;

    private final Object replayLock = new Object();
    private boolean replaying;
    private List<Held> held;
    /** Ids of messages recently written to this connection, with the sender for private ones addressed to it. */
    private final Map<String, String> recentDeliveries = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > RECENT_DELIVERIES;
        }
    };
    private String lastDeliveredId;
    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    Connection(WsSession session, ChatMetrics metrics, OutboxBudgets budgets, double sendsPerSecond, double sendBurst) {
        this.reader = Thread.currentThread();
        this.outbox = new Outbox(session, reader, metrics, budgets);
        this.frameLimit = new RateLimiter(sendsPerSecond * 5, sendBurst * 5);
    }

    // ---- identity -------------------------------------------------------------------------------------------

    void authenticated(AuthenticatedUser user, OutboxBudgets.User budget) {
        outbox.chargeTo(budget);
        this.userKey = Users.key(user.username());
        this.authenticatedAt = System.currentTimeMillis();
        this.user = user;
    }

    /**
     * A fresh token of the same user ({@code reauth}): the session may differ, the user does not.
     *
     * @param fresh who the new token speaks for
     */
    void reauthenticated(AuthenticatedUser fresh) {
        this.user = fresh;
    }

    long authenticatedAt() {
        return authenticatedAt;
    }

    boolean isAuthenticated() {
        return user != null;
    }

    AuthenticatedUser user() {
        return user;
    }

    String username() {
        return user.username();
    }

    String userKey() {
        return userKey;
    }

    RateLimiter frameLimit() {
        return frameLimit;
    }

    /**
     * Collects the fragments of one text message.
     *
     * @param text     this fragment
     * @param last     whether it is the final one
     * @param maxChars the largest whole message accepted
     * @return the whole message when complete, {@link #OVERSIZED} (compare by identity) when it was too large,
     *         null while incomplete
     */
    String assemble(String text, boolean last, int maxChars) {
        if (last && fragments == null && !oversizedFragments) {
            return text.length() > maxChars ? OVERSIZED : text;
        }
        if (!oversizedFragments) {
            int received = fragments == null ? 0 : fragments.length();
            if (received + text.length() > maxChars) {
                oversizedFragments = true;
                fragments = null;
            } else {
                if (fragments == null) {
                    fragments = new StringBuilder(Math.max(256, text.length() * 2));
                }
                fragments.append(text);
            }
        }
        if (!last) {
            return null;
        }
        String whole = oversizedFragments ? OVERSIZED : fragments.toString();
        fragments = null;
        oversizedFragments = false;
        return whole;
    }

    // ---- replay gating --------------------------------------------------------------------------------------

    void startReplay() {
        synchronized (replayLock) {
            if (!replaying) {
                replaying = true;
                held = new ArrayList<>();
            }
        }
    }

    /**
     * Ends the replay: the replayed frames go out first, then the live ones that arrived meanwhile, except those
     * the replay already carried.
     *
     * @param replayed the replayed messages in order, with their frames
     * @param trailer  a frame sent right after the replayed ones
     */
    void finishReplay(List<Held> replayed, String trailer) {
        synchronized (replayLock) {
            Set<String> replayedIds = new HashSet<>();
            for (Held h : replayed) {
                replayedIds.add(h.message().id());
                enqueueMessage(h.message(), h.frame(), ChatMetrics.Path.REPLAY);
            }
            outbox.add(trailer, 0, null);
            for (Held h : held == null ? List.<Held>of() : held) {
                if (h.message() == null) {
                    outbox.add(h.frame(), 0, null);
                } else if (!replayedIds.contains(h.message().id())) {
                    enqueueMessage(h.message(), h.frame(), h.path());
                }
            }
            held = null;
            replaying = false;
        }
    }

    /**
     * Delivers a message frame, or holds it while the replay runs.
     *
     * @param message the message
     * @param frame   its frame
     * @param path    how it reached this instance, for metrics
     */
    void deliver(ChatMessage message, String frame, ChatMetrics.Path path) {
        synchronized (replayLock) {
            if (replaying) {
                held.add(new Held(message, frame, path));
                return;
            }
            enqueueMessage(message, frame, path);
        }
    }

    /**
     * Sends a frame that is not a message but must not overtake the welcome and the replay (presence changes,
     * receipts): held while a replay runs, like live messages, and sent after it in order.
     *
     * @param frame the JSON text
     */
    void sendLive(String frame) {
        synchronized (replayLock) {
            if (replaying) {
                held.add(new Held(null, frame, null));
                return;
            }
        }
        send(frame);
    }

    private void enqueueMessage(ChatMessage message, String frame, ChatMetrics.Path path) {
        synchronized (recentDeliveries) {
            if (recentDeliveries.containsKey(message.id())) {
                return;
            }
            boolean toMe = message.isPrivate() && userKey.equals(message.toKey());
            recentDeliveries.put(message.id(), toMe ? message.from() : "");
            if (lastDeliveredId == null || message.id().compareTo(lastDeliveredId) > 0) {
                lastDeliveredId = message.id();
            }
        }
        outbox.add(frame, path == ChatMetrics.Path.REPLAY ? 0 : message.ts(), path);
    }

    /**
     * The sender of a private message to this user recently delivered on this connection.
     *
     * @param messageId the id
     * @return the sender's username, or null when this connection did not get it lately
     */
    String recentSender(String messageId) {
        synchronized (recentDeliveries) {
            String sender = recentDeliveries.get(messageId);
            return sender == null || sender.isEmpty() ? null : sender;
        }
    }

    /**
     * Whether a message was written to this connection lately (a replay skips those).
     *
     * @param messageId the id
     * @return true when it was
     */
    boolean hasDelivered(String messageId) {
        synchronized (recentDeliveries) {
            return recentDeliveries.containsKey(messageId);
        }
    }

    /**
     * The largest message id written to this connection, where a catch-up starts.
     *
     * @return the id, or null before the first message
     */
    String lastDeliveredId() {
        synchronized (recentDeliveries) {
            return lastDeliveredId;
        }
    }

    /**
     * Runs something when the connection closes (timers to cancel).
     *
     * @param hook what to run
     */
    void onClose(Runnable hook) {
        closeHooks.add(hook);
        if (outbox.isClosed()) {
            hook.run();
        }
    }

    // ---- outbox (see Outbox) ---------------------------------------------------------------------------------

    /**
     * Queues a frame for the client.
     *
     * @param frame the JSON text
     */
    void send(String frame) {
        outbox.add(frame, 0, null);
    }

    /**
     * Answers a ping, under the outbox's send lock.
     *
     * @param payload the ping's payload
     */
    void pong(BufferData payload) {
        outbox.pong(payload);
    }

    /**
     * Closes with a code once every frame queued before has been written.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void close(int code, String reason) {
        outbox.closeAfterQueued(code, reason);
    }

    /**
     * Closes with a code at once, dropping whatever is queued.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void closeNow(int code, String reason) {
        outbox.closeNow(code, reason);
    }

    /** Called when the client's close frame arrived or the socket broke: nothing more is written. */
    void closedByPeer() {
        outbox.closedByPeer();
        closeHooks.forEach(Runnable::run);
    }

    /**
     * Waits for the outbox to empty.
     *
     * @param timeoutMillis the longest wait
     */
    void awaitFlushed(long timeoutMillis) {
        outbox.awaitFlushed(timeoutMillis);
    }

    boolean isClosed() {
        return outbox.isClosed();
    }

    /**
     * Whether Helidon still reads this connection. Helidon 4.1 does not tell the listener when a client goes away
     * without a close frame (a reset, a cut socket, a lost network): its reading thread just ends.
     *
     * @return false once the reading thread ended
     */
    boolean isReading() {
        return reader.isAlive();
    }

    /**
     * Bytes waiting to be written to this client.
     *
     * @return the bytes
     */
    long queuedBytes() {
        return outbox.queuedBytes();
    }

    /**
     * A message held during replay, or replayed; or (without a message) another frame held during replay.
     *
     * @param message the message, or null for a frame that is not a message
     * @param frame   its frame
     * @param path    how it reached this instance
     */
    record Held(ChatMessage message, String frame, ChatMetrics.Path path) {
    }
}
