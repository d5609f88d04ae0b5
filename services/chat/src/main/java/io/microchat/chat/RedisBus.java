package io.microchat.chat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Logger;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Redis pub/sub between chat instances: the {@link PubSub} of a running instance. It knows no channel by name;
 * whoever listens registers a handler for its channel ({@link #handle}) or its family of channels
 * ({@link #handlePrefix}), and the names are {@link Channels}'.
 *
 * <p>Publishing: publications are queued and sent by one thread as a pipeline per batch over one connection, so
 * ten thousand messages a second are a few hundred round trips, not ten thousand. Subscribing: one connection
 * in subscribe mode, on its own thread (from {@link #start}), that reconnects with backoff and resubscribes to
 * every channel it had by itself; after a reconnect the {@link #onResubscribed} listeners run so that the instance
 * can catch up on what it missed from MongoDB.
 *
 * <p>Locking: {@code subscriberLock} guards {@code subscriber}, {@code channels} and {@code pendingAcks}, and the
 * order of {@code commands}. Nothing is written to Redis under it: a SUBSCRIBE or UNSUBSCRIBE is queued under it,
 * together with the reference count it follows from, and the {@code redis-subscription-writer} thread writes the
 * queued commands in that order. So Redis sees the commands in the order the counts changed (a last connection's
 * UNSUBSCRIBE cannot come after, and undo, a new connection's SUBSCRIBE), a subscription is confirmed only by the
 * answer to its own SUBSCRIBE, and a write that blocks (Redis not reading, a half-open link with a full send
 * buffer) holds up only the commands behind it: not {@code auth}, not {@code closed}, not the subscription's
 * reader (messages, presence). A command queued for a connection that has closed since fails: the connection is
 * opened once ({@link SingleSocketFactory}), not again, unauthenticated, by a late command. Handlers and listeners
 * are registered before {@link #start} and only read after.
 */
final class RedisBus implements PubSub, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RedisBus.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** Ends the writer thread, after the commands queued before it. */
    private static final Runnable STOP_WRITING = () -> { };

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final ChatMetrics metrics;
    private final ChannelHandlers handlers = new ChannelHandlers();
    private final Batcher<Publication> publisher;
    private final Object subscriberLock = new Object();
    /** Channels wanted, with their references and confirmation. Guarded by {@code subscriberLock}. */
    private final Map<String, Subscription> channels = new HashMap<>();
    /**
     * SUBSCRIBE commands sent on the current connection and not yet confirmed, per channel: a channel dropped and
     * taken again is confirmed by the last one's answer, not by an earlier one's. Guarded by {@code subscriberLock}.
     */
    private final Map<String, Integer> pendingAcks = new HashMap<>();
    /** Commands for the subscription connection, added under the lock, written in order by the writer thread. */
    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private Thread subscriberThread;
    /** The connection in subscribe mode, while there is one. Guarded by {@code subscriberLock}. */
    private Subscriber subscriber;
    private volatile boolean subscribed;
    private volatile boolean running = true;
    /** Used by the publisher thread only. */
    private Jedis publishConnection;
    /** Set when a batch could not be published, cleared when one was; written by the publisher thread only. */
    private volatile boolean publishFailing;

    /**
     * A bus; nothing connects before {@link #start}.
     *
     * @param url     {@code redis://[user:password@]host:port} or {@code rediss://...}
     * @param metrics metrics
     */
    RedisBus(URI url, ChatMetrics metrics) {
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
        this.publisher = new Batcher<>("redis-publisher", 2_000, 200_000, this::publishBatch);
    }

    /** Starts publishing and connects the subscription, once every listener registered its handlers. */
    void start() {
        publisher.start();
        Thread.ofPlatform().name("redis-subscription-writer").daemon().start(this::writeLoop);
        subscriberThread = Thread.ofPlatform().name("redis-subscriber").daemon().start(this::subscribeLoop);
    }

    @Override
    public ChannelHandlers handlers() {
        return handlers;
    }

    /**
     * A new connection with this bus's settings, for callers that run their own commands (presence).
     *
     * @return a connection; the caller closes it
     */
    Jedis connect() {
        return new Jedis(address, clientConfig);
    }

    @Override
    public void publish(String channel, String payload) {
        if (!publisher.offer(new Publication(List.of(channel), payload))) {
            metrics.error("redis");
        }
    }

    @Override
    public void publishAll(List<String> channels, String payload) {
        if (!publisher.offer(new Publication(List.copyOf(channels), payload))) {
            metrics.error("redis");
        }
    }

    /**
     * Publications waiting to be sent to Redis.
     *
     * @return the count
     */
    @Override
    public int backlog() {
        return publisher.size();
    }

    /**
     * How long the oldest publication has waited; 0 while publishing fails (Redis down, hanging or unreachable):
     * then publications are dropped after their attempts and recipients get the messages on replay, so sends go
     * on (docs/architecture.md, "Faults"), held only by the backlog's count.
     *
     * @return milliseconds
     */
    @Override
    public long oldestWaitMillis() {
        return publishFailing ? 0 : publisher.oldestWaitMillis();
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        synchronized (subscriberLock) {
            Subscription subscription = channels.computeIfAbsent(channel, c -> new Subscription());
            if (subscription.references++ == 0 && subscribed) {
                send(current -> current.subscribe(channel), channel);
            }
            return subscription.confirmed;
        }
    }

    @Override
    public void unsubscribe(String channel) {
        synchronized (subscriberLock) {
            Subscription subscription = channels.get(channel);
            if (subscription == null || --subscription.references > 0) {
                return;
            }
            channels.remove(channel);
            if (subscribed) {
                send(current -> current.unsubscribe(channel), null);
            }
        }
    }

    /** Queues a command for the current subscription connection; under {@code subscriberLock}. */
    private void send(Consumer<Subscriber> command, String subscribing) {
        if (subscribing != null) {
            pendingAcks.merge(subscribing, 1, Integer::sum);
        }
        Subscriber target = subscriber;
        commands.add(() -> command.accept(target));
    }

    /** Writes the queued commands, in order, outside any lock. */
    private void writeLoop() {
        while (true) {
            Runnable command;
            try {
                command = commands.take();
            } catch (InterruptedException e) {
                return;
            }
            if (command == STOP_WRITING) {
                return;
            }
            try {
                command.run();
            } catch (RuntimeException e) {
                // the connection broke; the reconnect subscribes to every channel wanted then
            }
        }
    }

    /** Redis confirmed a SUBSCRIBE; the subscription counts once the last one sent is confirmed. */
    private void confirmed(String channel) {
        synchronized (subscriberLock) {
            Integer pending = pendingAcks.computeIfPresent(channel, (c, n) -> n <= 1 ? null : n - 1);
            Subscription subscription = channels.get(channel);
            if (pending == null && subscription != null) {
                subscription.confirmed.complete(null);
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

    @Override
    public boolean awaitPublished(long timeoutMillis) {
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
                    // encoded once, however many channels it goes to (a group's members)
                    byte[] payload = SafeEncoder.encode(publication.payload());
                    for (String channel : publication.channels()) {
                        pipeline.publish(SafeEncoder.encode(channel), payload);
                    }
                }
                pipeline.sync();
                publishFailing = false;
                return;
            } catch (JedisException e) {
                closePublisher();
                publishFailing = true;
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
            try (Jedis jedis = new Jedis(new SingleSocketFactory(address, clientConfig), clientConfig)) {
                Subscriber fresh = new Subscriber();
                String[] initial;
                synchronized (subscriberLock) {
                    subscriber = fresh;
                    initial = channels.keySet().toArray(String[]::new);
                    pendingAcks.clear();
                    for (String channel : initial) {
                        pendingAcks.put(channel, 1);
                    }
                }
                boolean reconnect = everSubscribed;
                fresh.onFirstConfirmation = () -> {
                    synchronized (subscriberLock) {
                        subscribed = true;
                        // channels taken or dropped while the connection was being set up
                        Set<String> initialSet = Set.of(initial);
                        for (String channel : channels.keySet()) {
                            if (!initialSet.contains(channel)) {
                                send(current -> current.subscribe(channel), channel);
                            }
                        }
                        for (String channel : initial) {
                            if (!channels.containsKey(channel)) {
                                send(current -> current.unsubscribe(channel), null);
                            }
                        }
                    }
                    if (reconnect) {
                        LOGGER.info("Redis subscription restored; catching up from MongoDB");
                        handlers.resubscribed();
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
                synchronized (subscriberLock) {
                    subscribed = false;
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
                commands.add(current::unsubscribe);
            }
            commands.add(STOP_WRITING);
        }
        if (subscriberThread != null) {
            subscriberThread.interrupt();
        }
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
                handlers.dispatch(channel, message);
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
            confirmed(channel);
        }
    }

    /** A channel wanted: how many took it, and when Redis confirmed it. */
    private static final class Subscription {
        private int references;
        private final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    }


    private record Publication(List<String> channels, String payload) {
    }
}
