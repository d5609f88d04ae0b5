package io.microchat.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pub/sub in memory, for unit tests: the instances of one {@link Network} hear each other's publications at once,
 * on the thread that published, like Redis would (an instance hears its own too). A subscription can be made to
 * wait, like a write to a Redis that does not answer.
 */
final class InMemoryPubSub implements PubSub {

    /** The "Redis" several instances share. */
    static final class Network {
        private final List<InMemoryPubSub> members = new CopyOnWriteArrayList<>();
        /** Every publication's channel, in order. */
        final List<String> published = new CopyOnWriteArrayList<>();
    }

    private final Network network;
    private final ChannelHandlers handlers = new ChannelHandlers();
    /** References per channel; guarded by {@code this}. */
    private final Map<String, Integer> references = new HashMap<>();
    /** When set, {@link #subscribe} waits for it before it subscribes (a slow Redis). */
    volatile CountDownLatch subscribeGate;
    /** Counted down when a subscription reaches the gate. */
    final CountDownLatch subscribing = new CountDownLatch(1);

    InMemoryPubSub(Network network) {
        this.network = network;
        network.members.add(this);
    }

    @Override
    public void publish(String channel, String payload) {
        network.published.add(channel);
        for (InMemoryPubSub member : network.members) {
            member.receive(channel, payload);
        }
    }

    @Override
    public void publishAll(List<String> channels, String payload) {
        for (String channel : channels) {
            publish(channel, payload);
        }
    }

    private void receive(String channel, String payload) {
        if (isSubscribed(channel)) {
            handlers.dispatch(channel, payload);
        }
    }

    @Override
    public int backlog() {
        return 0;
    }

    @Override
    public long oldestWaitMillis() {
        return 0;
    }

    @Override
    public boolean awaitPublished(long timeoutMillis) {
        return true;
    }

    @Override
    public ChannelHandlers handlers() {
        return handlers;
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        CountDownLatch gate = subscribeGate;
        if (gate != null) {
            subscribing.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            references.merge(channel, 1, Integer::sum);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void unsubscribe(String channel) {
        references.computeIfPresent(channel, (c, n) -> n <= 1 ? null : n - 1);
    }

    synchronized boolean isSubscribed(String channel) {
        return references.containsKey(channel);
    }

    /** The subscription came back after an outage. */
    /** Pub/sub came back: the catch-ups run now, on the calling thread (RedisBus runs them on threads of their own). */
    void resubscribed() {
        handlers.resubscribed(Runnable::run);
    }
}
