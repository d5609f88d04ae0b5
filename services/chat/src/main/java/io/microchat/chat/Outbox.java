package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import io.microchat.protocol.CloseCode;

/**
 * The frames waiting to be written to one client, bounded by what they cost in memory.
 *
 * <p>Frames are queued from any thread and written by a short-lived virtual thread under {@code sendLock}
 * (Helidon's session is not safe for concurrent sends), so no shared thread ever waits on a slow client. The frames
 * waiting when the writer gets to them go out together, in one socket write ({@link FrameWriter}); nothing waits
 * for more. A queued frame is charged {@link #cost} bytes to this connection, to its user (across the user's
 * connections on this instance) and to the instance, from when it is queued until it was written.
 *
 * <p>A frame is refused when, before it, this connection already held more than its limit, or its user more than
 * theirs: the connection is then closed at once with {@link CloseCode#TOO_SLOW} and its queue
 * dropped (the client reconnects and replays from MongoDB, so nothing is lost). So one connection holds at most
 * its limit plus one frame, whatever it asks for, plus one replay: replayed messages (at most
 * {@code app.replay.limit} of them) are charged to the instance but not to the connection's or user's limit, or a
 * client that missed much would be cut off by its own catch-up, reconnect and replay it again, forever. The close
 * frame cannot overtake the frame a stuck client is not reading: if the send lock is not free within
 * {@link #CLOSE_WAIT_MILLIS}, the socket is cut instead.
 *
 * <p>Locking, field by field:
 * <ul>
 *   <li>{@code sendLock} guards {@code session} and {@code writer} (the same socket): every write, ping, pong and
 *       close frame goes out under it (Helidon's session is not safe for concurrent sends). Nothing else is done
 *       under it, and no other lock is taken while it is held.</li>
 *   <li>{@code queue} is a lock-free queue; any thread adds, the drainer and {@link #dropQueued} take (the
 *       drainer peeks, then polls, the frames it adds to a batch: what it polls differs from what it peeked only
 *       when {@code dropQueued} took frames meanwhile, after {@code closed} was set, so none is written).</li>
 *   <li>{@code drainerActive} (CAS) lets one drainer run at a time; a frame added as the drainer stops is seen by
 *       its re-check.</li>
 *   <li>{@code bytes} and {@code limitedBytes} are atomic counters; a charge (here and in the user's and the
 *       instance's budgets) is made before a frame joins the queue and released exactly once, by whoever takes it
 *       off (the drainer after writing it, or {@link #dropQueued} on close).</li>
 *   <li>{@code closed} and {@code user} are volatile; {@code closed} is only ever set, never cleared.</li>
 * </ul>
 */
final class Outbox {

    /**
     * Largest UTF-8 size of one outgoing fragment when frames go through the session one by one (see
     * {@link FrameWriter}): Helidon's per-connection send buffer starts at 1,024 bytes (frame header included) and
     * keeps the size of the largest frame ever sent (see {@link TextFragments}).
     */
    static final int FRAGMENT_BYTES = 1016;
    /** What a queued frame costs besides its characters: the queue node, the record, the string header. */
    static final int FRAME_OVERHEAD = 64;
    /** How long a close waits for a write in progress before it cuts the socket. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    /**
     * Most characters of the frames one socket write carries (a frame larger than that goes alone): what
     * waits is written together, up to a size that keeps the buffer encoded for it short-lived.
     */
    static final int BATCH_CHARS = 16 * 1024;
    /** How many times a close cuts the socket before it gives up on a write that stays blocked. */
    private static final int MAX_CUTS = 30;

    /** The client's session; written to under {@code sendLock} only. */
    private final WsSession session;
    /** Writes the frames to {@code session}; under {@code sendLock} too. */
    private final FrameWriter writer;
    private final Thread reader;
    private final ChatMetrics metrics;
    private final OutboxBudgets budgets;
    /** Guards {@code session}: writes, pongs, close frames. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Frames waiting; lock-free. */
    private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    /** Bytes charged for the frames waiting; atomic. */
    private final AtomicLong bytes = new AtomicLong();
    /** The part of {@code bytes} the connection's limit applies to: everything but replayed messages. */
    private final AtomicLong limitedBytes = new AtomicLong();
    /** Whether a drainer runs; set by CAS. */
    private final AtomicBoolean drainerActive = new AtomicBoolean();
    /** The user charged for frames queued from now on (null before authentication). */
    private volatile OutboxBudgets.User user;
    /** Set once, never cleared: nothing is queued or written after. */
    private volatile boolean closed;

    /**
     * An outbox.
     *
     * @param session the client's session
     * @param writer  how frames are written to it ({@link FrameWriter#of})
     * @param reader  the thread that reads the client's frames (interrupting it closes the socket)
     * @param metrics metrics
     * @param budgets the instance's outbox budgets
     */
    Outbox(WsSession session, FrameWriter writer, Thread reader, ChatMetrics metrics, OutboxBudgets budgets) {
        this.session = session;
        this.writer = writer;
        this.reader = reader;
        this.metrics = metrics;
        this.budgets = budgets;
    }

    /**
     * What a frame costs while queued: two bytes a character (the most a Java string takes) and the overhead.
     *
     * @param frame the frame
     * @return its cost in bytes
     */
    static long cost(String frame) {
        return 2L * frame.length() + FRAME_OVERHEAD;
    }

    /**
     * From now on, frames are charged to this user too (after authentication).
     *
     * @param budget the user's budget on this instance
     */
    void chargeTo(OutboxBudgets.User budget) {
        this.user = budget;
    }

    /**
     * The user charged for frames queued from now on.
     *
     * @return the user's budget, or null before authentication
     */
    OutboxBudgets.User budget() {
        return user;
    }

    /**
     * Bytes queued on this connection.
     *
     * @return the bytes
     */
    long queuedBytes() {
        return bytes.get();
    }

    /**
     * Queues a frame.
     *
     * @param frame      the JSON text
     * @param acceptedAt when its message was accepted (for the latency metric), or 0
     * @param path       how its message reached this instance, or null for other frames
     */
    void add(String frame, long acceptedAt, ChatMetrics.Path path) {
        offer(new Outgoing(frame, acceptedAt, path, 0, cost(frame), path == ChatMetrics.Path.REPLAY ? null : user,
                           path != ChatMetrics.Path.REPLAY));
    }

    /**
     * Closes with a code once every frame queued before has been written.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void closeAfterQueued(int code, String reason) {
        offer(new Outgoing(reason, 0, null, code, cost(reason), user, true));
    }

    private void offer(Outgoing outgoing) {
        if (closed) {
            return;
        }
        bytes.addAndGet(outgoing.cost());
        long before = outgoing.limited() ? limitedBytes.getAndAdd(outgoing.cost()) : 0;
        OutboxBudgets.User charged = outgoing.user();
        long userBefore = charged == null ? 0 : charged.charge(outgoing.cost());
        budgets.charge(outgoing.cost());
        if (outgoing.closeCode() == 0 && (before > budgets.connectionLimit()
                                          || (charged != null && userBefore > budgets.userLimit()))) {
            release(outgoing);
            metrics.slowConsumer();
            closeNow(CloseCode.TOO_SLOW, "client too slow; reconnect to resume");
            return;
        }
        queue.add(outgoing);
        if (closed) {
            dropQueued(); // closed meanwhile: whoever closed may have cleared the queue before this frame was added
            return;
        }
        if (drainerActive.compareAndSet(false, true)) {
            Thread.startVirtualThread(this::drain);
        }
    }

    private void release(Outgoing outgoing) {
        bytes.addAndGet(-outgoing.cost());
        if (outgoing.limited()) {
            limitedBytes.addAndGet(-outgoing.cost());
        }
        if (outgoing.user() != null) {
            outgoing.user().charge(-outgoing.cost());
        }
        budgets.charge(-outgoing.cost());
    }

    private void drain() {
        List<Outgoing> batch = new ArrayList<>();
        while (true) {
            Outgoing next;
            while ((next = queue.poll()) != null) {
                if (next.closeCode() != 0) {
                    release(next);
                    closeNow(next.closeCode(), next.frame());
                    continue;
                }
                batch.add(next);
                try {
                    takeBatch(batch);
                    write(batch);
                } finally {
                    batch.forEach(this::release);
                    batch.clear();
                }
            }
            drainerActive.set(false);
            if (queue.isEmpty() || !drainerActive.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /**
     * Adds to a batch the frames queued behind its first, up to {@link #BATCH_CHARS} and not past a close (see the
     * class comment on {@code queue} for a close taking frames meanwhile).
     */
    private void takeBatch(List<Outgoing> batch) {
        if (!writer.batches()) {
            return;
        }
        long chars = batch.getFirst().frame().length();
        Outgoing next;
        while ((next = queue.peek()) != null && next.closeCode() == 0
               && (chars += next.frame().length()) <= BATCH_CHARS) {
            Outgoing taken = queue.poll();
            if (taken == null) {
                return;
            }
            // next, unless a close dropped the queue meanwhile: then nothing of the batch is written, and all of it
            // is released all the same
            batch.add(taken);
        }
    }

    private void write(List<Outgoing> batch) {
        List<String> frames = new ArrayList<>(batch.size());
        for (Outgoing outgoing : batch) {
            frames.add(outgoing.frame());
        }
        sendLock.lock();
        try {
            if (closed) {
                return;
            }
            writer.write(frames);
        } catch (RuntimeException e) {
            closed = true;
            return;
        } finally {
            sendLock.unlock();
        }
        for (Outgoing outgoing : batch) {
            if (outgoing.path() != null) {
                metrics.delivered(outgoing.path(), outgoing.acceptedAt());
            }
        }
    }

    /**
     * Pings the client, under the send lock; its pong is all the client has to send back.
     */
    void ping() {
        sendLock.lock();
        try {
            if (!closed) {
                session.ping(BufferData.empty());
            }
        } catch (RuntimeException e) {
            closed = true;
        } finally {
            sendLock.unlock();
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
     * Closes with a code at once, dropping whatever is queued. Never waits on the client: the close frame is
     * written now if no write is in progress, else by a virtual thread once the write ends, and that thread cuts
     * the socket when the write stays blocked (a client that reads nothing) or the client does not answer the
     * close frame, each within {@link #CLOSE_WAIT_MILLIS}.
     *
     * @param code   the close code
     * @param reason the reason
     */
    void closeNow(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        dropQueued();
        boolean written = false;
        if (sendLock.tryLock()) {
            try {
                session.close(code, reason);
                written = true;
            } catch (RuntimeException e) {
                // the socket is gone already
            } finally {
                sendLock.unlock();
            }
        }
        boolean closeFrameWritten = written;
        Thread.startVirtualThread(() -> finishClose(code, reason, closeFrameWritten));
    }

    private void finishClose(int code, String reason, boolean closeFrameWritten) {
        try {
            int cuts = 0;
            if (!closeFrameWritten) {
                while (!sendLock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (++cuts > MAX_CUTS) {
                        return;
                    }
                    // the blocked write fails and releases the lock; again if the interrupt closed another socket
                    // the reader was blocked in at that moment (a store query), which the driver then replaces
                    cut();
                }
                try {
                    session.close(code, reason);
                } catch (RuntimeException e) {
                    // the socket is gone already
                } finally {
                    sendLock.unlock();
                }
            }
            // a client answers the close frame and Helidon's reader then ends; one that does not is cut
            while (reader.isAlive() && cuts++ < MAX_CUTS) {
                Thread.sleep(CLOSE_WAIT_MILLIS);
                if (reader.isAlive()) {
                    cut();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the socket under the write that waits for a client that does not read. Helidon 4.1 has no call for
     * it ({@code terminate()} writes a close frame first, which waits for the same lock), but a virtual thread
     * interrupted in a socket read closes the socket: the connection's reader is one, and the blocked write then
     * fails and releases the lock. A reader that is not blocked right now closes it at its next read.
     */
    private void cut() {
        if (reader.isVirtual()) {
            reader.interrupt();
        } else {
            session.terminate();
        }
    }

    /** The client's close frame arrived or the socket broke: nothing more is written. */
    void closedByPeer() {
        closed = true;
        dropQueued();
    }

    private void dropQueued() {
        Outgoing dropped;
        while ((dropped = queue.poll()) != null) {
            release(dropped);
        }
    }

    /**
     * Waits for the queue to empty.
     *
     * @param timeoutMillis the longest wait
     */
    void awaitFlushed(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!closed && (!queue.isEmpty() || drainerActive.get()) && System.currentTimeMillis() < deadline) {
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

    /** A frame to write, or (with a close code) the instruction to close after everything before it. */
    private record Outgoing(String frame, long acceptedAt, ChatMetrics.Path path, int closeCode, long cost,
                            OutboxBudgets.User user, boolean limited) {
    }
}
