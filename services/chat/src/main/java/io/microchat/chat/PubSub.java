package io.microchat.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Publish/subscribe between chat instances, with a handler per channel: {@link RedisBus} in a running instance,
 * an in-memory stand-in in unit tests. Channel names are {@link Channels}'.
 *
 * <p>Whoever listens on a channel registers its handler here (in its constructor), before {@link RedisBus#start}:
 * a fixed channel with {@link #handle}, a family of channels (one per user) with {@link #handlePrefix} and then
 * {@link #subscribe} / {@link #unsubscribe} per channel as it needs them.
 */
interface PubSub {

    /**
     * Queues a publication.
     *
     * @param channel the channel
     * @param payload the payload
     */
    void publish(String channel, String payload);

    /**
     * Queues one payload for several channels, sent together (a group message to its members' channels: one
     * pipelined round trip).
     *
     * @param channels the channels
     * @param payload  the payload
     */
    void publishAll(List<String> channels, String payload);

    /**
     * Publications waiting to be sent.
     *
     * @return the count
     */
    int backlog();

    /**
     * How long the oldest publication not yet sent (queued, or in the batch being written) has waited.
     *
     * @return milliseconds, 0 when none waits
     */
    long oldestWaitMillis();

    /**
     * Waits until every queued publication was sent.
     *
     * @param timeoutMillis the longest wait
     * @return true when done in time
     */
    boolean awaitPublished(long timeoutMillis);

    /**
     * Where this transport's messages go.
     *
     * @return the handlers
     */
    ChannelHandlers handlers();

    /**
     * Subscribes to a channel for good and hands each of its messages to a handler.
     *
     * @param channel the channel
     * @param handler gets each payload
     */
    default void handle(String channel, Consumer<String> handler) {
        handlers().add(channel, handler);
        subscribe(channel);
    }

    /**
     * Hands the messages of every channel that starts with a prefix to a handler; the channels themselves are
     * subscribed with {@link #subscribe}.
     *
     * @param prefix  the prefix
     * @param handler gets the channel and the payload
     */
    default void handlePrefix(String prefix, BiConsumer<String, String> handler) {
        handlers().addPrefix(prefix, handler);
    }

    /**
     * Runs something each time the subscription comes back after it was lost (what was published meanwhile was
     * not heard).
     *
     * @param listener what to run, on a thread of its own
     */
    default void onResubscribed(Runnable listener) {
        handlers().addResubscribedListener(listener);
    }

    /**
     * Takes one reference to a channel: the first subscribes, later ones share the subscription. Each call is
     * matched by one {@link #unsubscribe}; the subscription ends with the last.
     *
     * @param channel the channel
     * @return completes when the subscription is confirmed; stays incomplete while the transport is down
     */
    CompletableFuture<Void> subscribe(String channel);

    /**
     * Drops one reference taken with {@link #subscribe}.
     *
     * @param channel the channel
     */
    void unsubscribe(String channel);

    /**
     * Waits a little for pub/sub to confirm a subscription.
     *
     * @param subscription what {@link #subscribe} returned
     * @param millis       the longest to wait
     * @return false when it was not confirmed in time (pub/sub busy or away)
     */
    static boolean confirmedWithin(CompletableFuture<Void> subscription, long millis) {
        try {
            subscription.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
