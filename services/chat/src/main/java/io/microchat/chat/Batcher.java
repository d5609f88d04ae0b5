package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: items offered from any thread are handed to {@code flush} in batches by one dedicated thread,
 * so that N concurrent writers cost one round trip instead of N. Whatever piled up while a flush ran is the
 * next batch; no timer delays a lone item.
 *
 * <p>How far behind it is ({@link #oldestWaitMillis}) counts the batch being flushed too: a write that takes long
 * (a store short of CPU, a failover) shows at once, not only after the items behind it have aged.
 *
 * @param <T> the item type
 */
final class Batcher<T> implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(Batcher.class.getName());
    /** No batch is being flushed. */
    private static final long NONE = Long.MIN_VALUE;

    private final String name;
    private final int maxBatch;
    private final Consumer<List<T>> flush;
    private final BlockingQueue<Queued<T>> queue;
    /**
     * Items offered and not yet flushed: counted up before an item joins the queue and down after the flush of its
     * batch returned, so it never reads 0 while an item is queued, taken off the queue, or being flushed.
     */
    private final AtomicInteger unfinished = new AtomicInteger();
    /** When the oldest item of the batch being flushed was offered ({@link System#nanoTime}); NONE between batches. */
    private volatile long flushingSince = NONE;
    /** Set by {@link #start}. */
    private Thread thread;
    private volatile boolean running = true;

    /**
     * A batcher; its thread starts with {@link #start} (what is offered before waits for it).
     *
     * @param name     thread name
     * @param maxBatch largest batch handed to {@code flush}
     * @param capacity most items waiting; {@link #offer} refuses beyond
     * @param flush    writes one batch; must complete every item's outcome itself, and not throw
     */
    Batcher(String name, int maxBatch, int capacity, Consumer<List<T>> flush) {
        this(name, maxBatch, new LinkedBlockingQueue<>(capacity), flush);
    }

    /**
     * A batcher over a given queue (tests slow its hand-over down).
     *
     * @param name     thread name
     * @param maxBatch largest batch handed to {@code flush}
     * @param queue    the queue, bounded
     * @param flush    writes one batch
     */
    Batcher(String name, int maxBatch, BlockingQueue<Queued<T>> queue, Consumer<List<T>> flush) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.flush = flush;
        this.queue = queue;
    }

    /**
     * Starts the thread that flushes.
     *
     * @return this batcher
     */
    synchronized Batcher<T> start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name(name).daemon().start(this::run);
        }
        return this;
    }

    /**
     * Queues an item.
     *
     * @param item the item
     * @return false when the queue is full (the caller reports the overload)
     */
    boolean offer(T item) {
        if (!running) {
            return false;
        }
        unfinished.incrementAndGet();
        if (!queue.offer(new Queued<>(item, System.nanoTime()))) {
            unfinished.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Items waiting (not those of the batch being flushed).
     *
     * @return the count
     */
    int size() {
        return queue.size();
    }

    /**
     * How long the oldest item not yet flushed has waited: the oldest of the batch being flushed, or else the
     * oldest queued.
     *
     * @return milliseconds, 0 when nothing waits
     */
    long oldestWaitMillis() {
        long since = flushingSince;
        if (since == NONE) {
            Queued<T> head = queue.peek();
            if (head == null) {
                return 0;
            }
            since = head.offeredAt();
        }
        return Math.max(0, (System.nanoTime() - since) / 1_000_000);
    }

    /**
     * Waits until everything offered so far was flushed (the flush of the last batch returned).
     *
     * @param timeoutMillis the longest wait (0: only whether it is drained now)
     * @return true when drained in time
     */
    boolean awaitDrained(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        if (unfinished.get() == 0) {
            return true;
        }
        while (System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (unfinished.get() == 0) {
                return true;
            }
        }
        return false;
    }

    private void run() {
        List<Queued<T>> taken = new ArrayList<>(maxBatch);
        List<T> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Queued<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                flushingSince = first.offeredAt();
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
                for (Queued<T> queued : taken) {
                    batch.add(queued.item());
                }
                flush.accept(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOGGER.log(Level.SEVERE, name + ": flush failed", e);
            } finally {
                flushingSince = NONE; // before the count: drained means its wait reads 0 too
                unfinished.addAndGet(-taken.size());
                taken.clear();
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread started;
        synchronized (this) {
            started = thread;
        }
        if (started == null) {
            return;
        }
        try {
            started.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An item and when it was offered.
     *
     * @param item      the item
     * @param offeredAt {@link System#nanoTime} at the offer
     * @param <T>       the item type
     */
    record Queued<T>(T item, long offeredAt) {
    }
}
