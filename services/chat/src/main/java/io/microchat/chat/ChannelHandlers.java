package io.microchat.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who handles what arrives on a pub/sub channel: a handler per channel, or per family of channels (a prefix); and
 * who wants to know when the subscription came back after an outage. Thread-safe; handlers are registered once,
 * before messages flow.
 */
final class ChannelHandlers {

    private final Map<String, Consumer<String>> byChannel = new ConcurrentHashMap<>();
    private final List<Prefixed> byPrefix = new CopyOnWriteArrayList<>();
    private final List<Runnable> resubscribedListeners = new CopyOnWriteArrayList<>();

    void add(String channel, Consumer<String> handler) {
        byChannel.put(channel, handler);
    }

    void addPrefix(String prefix, BiConsumer<String, String> handler) {
        byPrefix.add(new Prefixed(prefix, handler));
    }

    void addResubscribedListener(Runnable listener) {
        resubscribedListeners.add(listener);
    }

    /** Runs every listener of {@link #addResubscribedListener}, each on a virtual thread of its own. */
    void resubscribed() {
        resubscribed(Thread::startVirtualThread);
    }

    /**
     * Runs every listener of {@link #addResubscribedListener} with an executor of the caller's choice (the
     * in-memory stand-in of the tests runs them on the calling thread, so a test decides when they have run).
     *
     * @param executor what runs each listener
     */
    void resubscribed(java.util.concurrent.Executor executor) {
        resubscribedListeners.forEach(executor::execute);
    }

    /**
     * Hands a message to its channel's handler, else to the first handler of a prefix of the channel.
     *
     * @param channel the channel
     * @param payload the message
     */
    void dispatch(String channel, String payload) {
        Consumer<String> handler = byChannel.get(channel);
        if (handler != null) {
            handler.accept(payload);
            return;
        }
        for (Prefixed prefixed : byPrefix) {
            if (channel.startsWith(prefixed.prefix())) {
                prefixed.handler().accept(channel, payload);
                return;
            }
        }
    }

    private record Prefixed(String prefix, BiConsumer<String, String> handler) {
    }
}
