package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.microchat.common.AuthenticatedUser;

/**
 * One client WebSocket connection: who it is, and the way out to it. Each concern is a class of its own:
 * {@link Outbox} (the frames waiting to be written, bounded), {@link ReplayGate} (live frames held while a replay
 * runs), {@link RecentDeliveries} (what was written lately); incoming frames are assembled by the endpoint
 * ({@link FrameAssembler}).
 *
 * <p>Thread safety: the identity fields are written once by the connection's reading thread at authentication
 * ({@code user} is volatile and written last, so whoever sees it sees the rest); a {@code reauth} replaces
 * {@code user} alone. The timers and the close hooks are guarded by this object's monitor.
 *
 * <p>Every open connection holds one, so what it holds while idle is kept small (issue 19: under 2 KB on top of
 * Helidon's own, docs/benchmark.md "Memory per idle connection"): no timer once authenticated but the token's
 * expiry, no close-hook list unless a hook is added, the identity shared with the user's other connections when
 * equal.
 */
final class Connection {

    private final Outbox outbox;
    /** The thread that reads this client's frames (Helidon's, one per connection); built on it. */
    private final Thread reader;
    private final RateLimiter frameLimit;
    private final ReplayGate replayGate = new ReplayGate(this::write);
    private final RecentDeliveries recent = new RecentDeliveries();
    /** Hooks to run at close; null until the first. Guarded by {@code this}. */
    private List<Runnable> closeHooks;
    /** The authentication timeout, until authenticated or closed. Guarded by {@code this}. */
    private Future<?> authTimeout;
    /** The timer of the token's expiry, once authenticated. Guarded by {@code this}. */
    private Future<?> expiry;
    private volatile AuthenticatedUser user;
    /** Whether the welcome was queued; set once, by the reading thread. */
    private volatile boolean welcomed;
    private String userKey;
    private long authenticatedAt;

    /**
     * A connection, built on the thread that reads it.
     *
     * @param session        the WebSocket session
     * @param metrics        metrics
     * @param budgets        the instance's outbox budgets
     * @param sendsPerSecond the user's send rate (frames may come five times as fast)
     * @param sendBurst      the user's send burst
     */
    Connection(WsSession session, ChatMetrics metrics, OutboxBudgets budgets, double sendsPerSecond, double sendBurst) {
        this.reader = Thread.currentThread();
        this.outbox = new Outbox(session, FrameWriter.of(session), reader, metrics, budgets);
        this.frameLimit = new RateLimiter(sendsPerSecond * 5, sendBurst * 5);
    }

    // ---- identity -------------------------------------------------------------------------------------------

    void authenticated(AuthenticatedUser user, OutboxBudgets.User budget) {
        outbox.chargeTo(budget);
        this.userKey = budget.key();
        this.authenticatedAt = System.currentTimeMillis();
        this.user = budget.shared(user);
        cancelAuthTimeout();
    }

    /**
     * A fresh token of the same user ({@code reauth}): the session may differ, the user does not.
     *
     * @param fresh who the new token speaks for
     */
    void reauthenticated(AuthenticatedUser fresh) {
        OutboxBudgets.User budget = outbox.budget();
        this.user = budget == null ? fresh : budget.shared(fresh);
    }

    /**
     * The timer that closes this connection when it does not authenticate in time: cancelled and forgotten at
     * authentication or close.
     *
     * @param timeout the timer
     */
    void cancelOnAuthentication(Future<?> timeout) {
        synchronized (this) {
            authTimeout = timeout;
        }
        if (isAuthenticated() || isClosed()) {
            cancelAuthTimeout();
        }
    }

    private void cancelAuthTimeout() {
        Future<?> timeout;
        synchronized (this) {
            timeout = authTimeout;
            authTimeout = null;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /**
     * The timer of the token's expiry: replaces (and cancels) the previous one; cancelled at close.
     *
     * @param timer the timer
     */
    void expiresWith(Future<?> timer) {
        Future<?> previous;
        synchronized (this) {
            previous = expiry;
            expiry = timer;
        }
        if (previous != null) {
            previous.cancel(false);
        }
        if (isClosed()) {
            cancelExpiry();
        }
    }

    private void cancelExpiry() {
        Future<?> timer;
        synchronized (this) {
            timer = expiry;
            expiry = null;
        }
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The welcome is queued: from now on a catch-up may replay here (see {@link Replay#catchUp}). */
    void welcomed() {
        this.welcomed = true;
    }

    boolean isWelcomed() {
        return welcomed;
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

    // ---- what goes out --------------------------------------------------------------------------------------

    /** Holds live frames until {@link #finishReplay}: a replay starts. */
    void startReplay() {
        replayGate.start();
    }

    /**
     * Ends the replay (see {@link ReplayGate#finish}).
     *
     * @param replayed the replayed messages in order, with their frames
     * @param trailer  a frame sent right after the replayed ones
     */
    void finishReplay(List<ReplayGate.Held> replayed, String trailer) {
        replayGate.finish(replayed, trailer);
    }

    /**
     * Delivers a message frame, or holds it while a replay runs; a message written lately is not written again.
     *
     * @param message the message
     * @param frame   its frame
     * @param path    how it reached this instance, for metrics
     */
    void deliver(ChatMessage message, String frame, ChatMetrics.Path path) {
        replayGate.pass(new ReplayGate.Held(message, frame, path));
    }

    /**
     * Sends a frame that is not a message but must not overtake the welcome and the replay (presence changes,
     * receipts): held while a replay runs, like live messages, and sent after it in order.
     *
     * @param frame the JSON text
     */
    void sendLive(String frame) {
        replayGate.pass(new ReplayGate.Held(null, frame, null));
    }

    /**
     * Queues a frame for the client now (answers to its own frames).
     *
     * @param frame the JSON text
     */
    void send(String frame) {
        outbox.add(frame, 0, null);
    }

    private void write(ReplayGate.Held held) {
        ChatMessage message = held.message();
        if (message == null) {
            outbox.add(held.frame(), 0, null);
            return;
        }
        if (recent.record(message, message.isPrivate() && userKey.equals(message.toKey()))) {
            outbox.add(held.frame(), held.path() == ChatMetrics.Path.REPLAY ? 0 : message.ts(), held.path());
        }
    }

    /**
     * The sender of a private message to this user recently delivered on this connection.
     *
     * @param messageId the id
     * @return the sender's username, or null when this connection did not get it lately
     */
    String recentSender(String messageId) {
        return recent.senderOf(messageId);
    }

    /**
     * Whether a message was written to this connection lately (a replay skips those).
     *
     * @param messageId the id
     * @return true when it was
     */
    boolean hasDelivered(String messageId) {
        return recent.contains(messageId);
    }

    /**
     * The largest message id written to this connection, where a catch-up starts.
     *
     * @return the id, or null before the first message
     */
    String lastDeliveredId() {
        return recent.lastId();
    }

    // ---- the socket (see Outbox) ------------------------------------------------------------------------------

    /**
     * Has the client send a small frame (a pong, which every WebSocket client answers a ping with, unasked), so that
     * Helidon lets go of the last bytes it read. It keeps them until the next read (4.1: the consumed head of its
     * reader's list), and after an {@code auth} that is the whole frame with its token, some 700 bytes held by
     * every idle connection.
     */
    void releaseLastRead() {
        outbox.ping();
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
     * Runs something when the connection closes (timers to cancel).
     *
     * @param hook what to run
     */
    void onClose(Runnable hook) {
        synchronized (this) {
            if (closeHooks == null) {
                closeHooks = new ArrayList<>(2);
            }
            closeHooks.add(hook);
        }
        if (outbox.isClosed()) {
            hook.run();
        }
    }

    /** Called when the client's close frame arrived or the socket broke: nothing more is written. */
    void closedByPeer() {
        outbox.closedByPeer();
        cancelAuthTimeout();
        cancelExpiry();
        List<Runnable> hooks;
        synchronized (this) {
            hooks = closeHooks == null ? List.of() : List.copyOf(closeHooks);
        }
        hooks.forEach(Runnable::run);
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
}
