package io.microchat.chat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis pub/sub between chat instances.
 *
 * <p>Publishing: publications are queued and sent by one thread as a pipeline per batch over one connection, so
 * ten thousand messages a second are a few hundred round trips, not ten thousand. Subscribing: one connection
 * in subscribe mode, on its own thread, that reconnects with backoff and resubscribes to every channel it had
 * by itself; after a reconnect {@code onResubscribed} runs so that the instance can catch up on what it missed
 * from MongoDB.
 */
final class RedisBus implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RedisBus.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final ChatMetrics metrics;
    private final BiConsumer<String, String> onMessage;
    private final Runnable onResubscribed;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private final Batcher<Publication> publisher;
    private final Thread subscriberThread;
    private final Object subscriberLock = new Object();
    private volatile Subscriber subscriber;
    private volatile boolean subscribed;
    private volatile boolean running = true;
    private Jedis publishConnection;

    RedisBus(URI url, ChatMetrics metrics, Set<String> fixedChannels, BiConsumer<String, String> onMessage,
             Runnable onResubscribed) {
        this.address = new HostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2_000)
                .socketTimeoutMillis(5_000)
                .ssl("rediss".equals(url.getScheme()));
        String userInfo = url.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                config.password(userInfo);
            } else {
                if (colon > 0) {
                    config.user(userInfo.substring(0, colon));
                }
                config.password(userInfo.substring(colon + 1));
            }
        }
        this.clientConfig = config.build();
        this.metrics = metrics;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
        this.channels.addAll(fixedChannels);
        this.publisher = new Batcher<>("redis-publisher", 2_000, 200_000, this::publishBatch);
        this.subscriberThread = Thread.ofPlatform().name("redis-subscriber").daemon().start(this::subscribeLoop);
    }

    /**
     * A new connection with this bus's settings, for callers that run their own commands.
     *
     * @return a connection; the caller closes it
     */
    Jedis connect() {
        return new Jedis(address, clientConfig);
    }

    /**
     * Queues a publication.
     *
     * @param channel the channel
     * @param payload the payload
     */
    void publish(String channel, String payload) {
        if (!publisher.offer(new Publication(channel, payload))) {
            metrics.error("redis");
        }
    }

    /**
     * Publications waiting to be sent to Redis.
     *
     * @return the count
     */
    int backlog() {
        return publisher.size();
    }

    /**
     * Subscribes to a channel (kept across reconnects until {@link #unsubscribe}).
     *
     * @param channel the channel
     * @return completes when Redis confirmed the subscription; stays incomplete while Redis is down
     */
    CompletableFuture<Void> subscribe(String channel) {
        CompletableFuture<Void> confirmed = confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
        channels.add(channel);
        synchronized (subscriberLock) {
            Subscriber current = subscriber;
            if (current != null && subscribed) {
                try {
                    current.subscribe(channel);
                } catch (RuntimeException e) {
                    // the connection broke; the reconnect subscribes to every channel again
                }
            }
        }
        return confirmed;
    }

    /**
     * The confirmation of a subscription made earlier.
     *
     * @param channel the channel
     * @return completes when Redis confirmed it (at once when it has); a completed future when there is none
     */
    CompletableFuture<Void> confirmation(String channel) {
        return confirmations.getOrDefault(channel, CompletableFuture.completedFuture(null));
    }

    /**
     * Ends a subscription.
     *
     * @param channel the channel
     */
    void unsubscribe(String channel) {
        channels.remove(channel);
        confirmations.remove(channel);
        synchronized (subscriberLock) {
            Subscriber current = subscriber;
            if (current != null && subscribed) {
                try {
                    current.unsubscribe(channel);
                } catch (RuntimeException e) {
                    // the connection broke; the reconnect does not subscribe to it again
                }
            }
        }
    }

    /**
     * Whether messages from other instances reach this one right now (the command path is checked by the
     * presence heartbeat).
     *
     * @return true while subscribed
     */
    boolean isHealthy() {
        return subscribed;
    }

    boolean awaitPublished(long timeoutMillis) {
        return publisher.awaitDrained(timeoutMillis);
    }

    private void publishBatch(List<Publication> batch) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (publishConnection == null) {
                    publishConnection = connect();
                }
                Pipeline pipeline = publishConnection.pipelined();
                for (Publication publication : batch) {
                    pipeline.publish(publication.channel(), publication.payload());
                }
                pipeline.sync();
                return;
            } catch (JedisException e) {
                closePublisher();
                if (attempt == 1) {
                    metrics.error("redis");
                    LOGGER.warning(() -> "dropping " + batch.size() + " publications (stored in MongoDB, "
                                         + "recipients get them on replay): " + e.getMessage());
                }
            }
        }
    }

    private void closePublisher() {
        if (publishConnection != null) {
            try {
                publishConnection.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            publishConnection = null;
        }
    }

    private void subscribeLoop() {
        long backoff = 100;
        boolean everSubscribed = false;
        while (running) {
            try (Jedis jedis = new Jedis(address, clientConfig)) {
                Subscriber fresh = new Subscriber();
                synchronized (subscriberLock) {
                    subscriber = fresh;
                }
                boolean reconnect = everSubscribed;
                String[] initial = channels.toArray(String[]::new);
                fresh.onFirstConfirmation = () -> {
                    synchronized (subscriberLock) {
                        subscribed = true;
                        // channels added while the connection was being set up
                        Set<String> missing = new java.util.HashSet<>(channels);
                        missing.removeAll(Set.of(initial));
                        if (!missing.isEmpty()) {
                            fresh.subscribe(missing.toArray(String[]::new));
                        }
                    }
                    if (reconnect) {
                        LOGGER.info("Redis subscription restored; catching up from MongoDB");
                        Thread.startVirtualThread(onResubscribed);
                    }
                };
                everSubscribed = true;
                backoff = 100;
                jedis.subscribe(fresh, initial);
            } catch (RuntimeException e) {
                if (running) {
                    metrics.error("redis");
                    LOGGER.warning(() -> "Redis subscription lost: " + e.getMessage());
                }
            } finally {
                subscribed = false;
                synchronized (subscriberLock) {
                    subscriber = null;
                }
            }
            if (!running) {
                return;
            }
            sleep(backoff + (long) (Math.random() * backoff));
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    @Override
    public void close() {
        running = false;
        publisher.close();
        closePublisher();
        synchronized (subscriberLock) {
            Subscriber current = subscriber;
            if (current != null && subscribed) {
                try {
                    current.unsubscribe();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }
        subscriberThread.interrupt();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Subscriber extends JedisPubSub {
        private volatile Runnable onFirstConfirmation;

        @Override
        public void onMessage(String channel, String message) {
            try {
                RedisBus.this.onMessage.accept(channel, message);
            } catch (RuntimeException e) {
                LOGGER.warning(() -> "handling a message on " + channel + " failed: " + e);
            }
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            Runnable first = onFirstConfirmation;
            if (first != null) {
                onFirstConfirmation = null;
                first.run();
            }
            CompletableFuture<Void> confirmed = confirmations.get(channel);
            if (confirmed != null) {
                confirmed.complete(null);
            }
        }
    }

    private record Publication(String channel, String payload) {
    }
}
