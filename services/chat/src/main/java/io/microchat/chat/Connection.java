package io.microchat.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.microchat.common.AuthenticatedUser;

/**
 * One client WebSocket connection: who it is, and its outbox.
 *
 * <p>Frames for the client are queued from any thread and written by a short-lived virtual thread, one at a time
 * under a lock (Helidon's session is not safe for concurrent sends), so no shared thread ever waits on a slow
 * client. A client that lets {@link #MAX_QUEUED} frames pile up is disconnected; it reconnects and replays from
 * MongoDB, so nothing is lost.
 *
 * <p>While the replay after authentication runs, live messages are held back and sent after the replayed ones,
 * minus those the replay already carried, so the client sees one ordered stream.
 */
final class Connection {

    static final int MAX_QUEUED = 10_000;
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

    private final WsSession session;
    private final ChatMetrics metrics;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean drainerActive = new AtomicBoolean();
    private final RateLimiter frameLimit;
    /** Incoming fragments of a message; only while one is being received (most messages are one frame). */
    private StringBuilder fragments;
    private boolean oversizedFragments;
    private volatile boolean closed;
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

    Connection(WsSession session, ChatMetrics metrics, double sendsPerSecond, double sendBurst) {
        this.session = session;
        this.metrics = metrics;
        this.frameLimit = new RateLimiter(sendsPerSecond * 5, sendBurst * 5);
    }

    // ---- identity -------------------------------------------------------------------------------------------

    void authenticated(AuthenticatedUser user) {
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
            enqueue(new Outgoing(trailer, 0, null));
            for (Held h : held == null ? List.<Held>of() : held) {
                if (h.message() == null) {
                    enqueue(new Outgoing(h.frame(), 0, null));
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
        enqueue(new Outgoing(frame, path == ChatMetrics.Path.REPLAY ? 0 : message.ts(), path));
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
        if (closed) {
            hook.run();
        }
    }

    // ---- outbox ---------------------------------------------------------------------------------------------

    /**
     * Queues a frame for the client.
     *
     * @param frame the JSON text
     */
    void send(String frame) {
        enqueue(new Outgoing(frame, 0, null));
    }

    private void enqueue(Outgoing outgoing) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED && outgoing.closeCode() == 0) {
            metrics.slowConsumer();
            closeNow(CloseCodes.TOO_SLOW, "client too slow; reconnect to resume");
            return;
        }
        outbox.add(outgoing);
        if (drainerActive.compareAndSet(false, true)) {
            Thread.startVirtualThread(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Outgoing next;
            while ((next = outbox.poll()) != null) {
                queued.decrementAndGet();
                write(next);
            }
            drainerActive.set(false);
            if (outbox.isEmpty() || !drainerActive.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void write(Outgoing outgoing) {
        if (outgoing.closeCode() != 0) {
            closeNow(outgoing.closeCode(), outgoing.frame());
            return;
        }
        sendLock.lock();
        try {
            if (closed) {
                return;
            }
            List<String> fragments = TextFragments.split(outgoing.frame(), FRAGMENT_BYTES);
            int last = fragments.size() - 1;
            for (int i = 0; i <= last; i++) {
                session.send(fragments.get(i), i == last);
            }
        } catch (RuntimeException e) {
            closed = true;
            return;
        } finally {
            sendLock.unlock();
        }
        if (outgoing.path() != null) {
            metrics.delivered(outgoing.path(), outgoing.acceptedAt());
        }
    }

    /**
     * Answers a ping, under the send lock.
     *
     * @param payload the ping's payload
     */
    void pong(BufferData payload) {
        sendLock.lock();
        try {
            if (!closed) {
                session.pong(payload);
            }
        } catch (RuntimeException e) {
            closed = true;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Closes with a code once every frame queued before has been written.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void close(int code, String reason) {
        enqueue(new Outgoing(reason, 0, null, code));
    }

    /**
     * Closes with a code at once, dropping whatever is queued.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void closeNow(int code, String reason) {
        sendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close(code, reason);
        } catch (RuntimeException e) {
            // the socket is gone already
        } finally {
            sendLock.unlock();
        }
    }

    /** Called when the client's close frame arrived or the socket broke: nothing more is written. */
    void closedByPeer() {
        sendLock.lock();
        try {
            closed = true;
        } finally {
            sendLock.unlock();
        }
        outbox.clear();
        closeHooks.forEach(Runnable::run);
    }

    /**
     * Waits for the outbox to empty.
     *
     * @param timeoutMillis the longest wait
     */
    void awaitFlushed(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!closed && (queued.get() > 0 || drainerActive.get()) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    boolean isClosed() {
        return closed;
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

    /** A frame to write, or (with a close code) the instruction to close after everything before it. */
    private record Outgoing(String frame, long acceptedAt, ChatMetrics.Path path, int closeCode) {
        Outgoing(String frame, long acceptedAt, ChatMetrics.Path path) {
            this(frame, acceptedAt, path, 0);
        }
    }

    /** The close codes of the chat protocol (docs/protocol.md). */
    static final class CloseCodes {
        static final int GOING_AWAY = 1001;
        static final int INTERNAL_ERROR = 1011;
        static final int TRY_AGAIN_LATER = 1013;
        static final int UNAUTHORIZED = 4401;
        static final int SESSION_REVOKED = 4403;
        static final int AUTH_TIMEOUT = 4408;
        static final int TOKEN_EXPIRED = 4410;
        static final int TOO_SLOW = 4429;

        private CloseCodes() {
        }
    }
}
