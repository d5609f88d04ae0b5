package io.microchat.chat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
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
 * <p>Listing: the channels this instance listens on are listed in Redis ({@link ChannelListeners}), each before its
 * SUBSCRIBE is sent and after its UNSUBSCRIBE is queued, all of them again on every (re)connect, so that
 * {@link #publishElsewhere} publishes only what another instance hears. The writer thread checks every
 * {@value #LISTING_CHECK_MILLIS} ms that the listing is still there; when it is not (Redis emptied, or this
 * instance taken for dead), or a listing could not be written (Redis full), it lists every channel again and the
 * {@link #onResubscribed} listeners catch up on what was left out meanwhile. A subscription never waits for its
 * listing to succeed: an instance whose listing fails still hears the room, presence and revocations.
 *
 * <p>Locking: {@code subscriberLock} guards {@code subscriber}, {@code channels} and {@code pendingAcks}, and the
 * order of {@code commands}. Nothing is written to Redis under it: a SUBSCRIBE or UNSUBSCRIBE is queued under it,
 * together with the reference count it follows from, and the {@code redis-subscription-writer} thread writes the
 * queued commands in that order. So Redis sees the commands in the order the counts changed (a last connection's
 * UNSUBSCRIBE cannot come after, and undo, a new connection's SUBSCRIBE), a subscription is confirmed only by the
 * answer to its own SUBSCRIBE, and a write that blocks (Redis not reading, a half-open link with a full send
 * buffer) holds up only the commands behind it: not {@code auth}, not {@code closed}, not the subscription's
 * reader (messages, presence). Handlers and listeners are registered before {@link #start} and only read after.
 */
final class RedisBus implements PubSub, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RedisBus.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** How often the writer thread checks that this instance's listing is still in Redis. */
    static final long LISTING_CHECK_MILLIS = 2_000;
    private static final long RELIST_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_MILLIS = 3_000;
    /** Ends the writer thread, after the commands queued before it. */
    private static final Task STOP_WRITING = new Task(() -> { });

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final ChatMetrics metrics;
    private final ChannelListeners listing;
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
    private final BlockingQueue<WriterCommand> commands = new LinkedBlockingQueue<>();
    private Thread subscriberThread;
    /** The connection in subscribe mode, while there is one. Guarded by {@code subscriberLock}. */
    private Subscriber subscriber;
    private volatile boolean subscribed;
    private volatile boolean running = true;
    /** Used by the publisher thread only, with the SHA-1 of the publish-elsewhere script it loaded. */
    private Jedis publishConnection;
    private byte[] publishElsewhereSha;
    /** Used by the writer thread only. */
    private Jedis listingConnection;
    private long listingCheckedAt;
    /** Channels are subscribed that may not be listed: list them all again, then catch up. */
    private volatile boolean listingLost;
    /** A removal from the listing failed: list exactly the channels again (no catch-up needed). */
    private boolean listingStale;
    private Thread writerThread;
    /** Set when a batch could not be published, cleared when one was; written by the publisher thread only. */
    private volatile boolean publishFailing;

    /**
     * A bus; nothing connects before {@link #start}.
     *
     * @param url        {@code redis://[user:password@]host:port} or {@code rediss://...}
     * @param instanceId this instance (how it is listed as a listener)
     * @param metrics    metrics
     */
    RedisBus(URI url, String instanceId, ChatMetrics metrics) {
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
        this.listing = new ChannelListeners(instanceId);
        this.publisher = new Batcher<>("redis-publisher", 2_000, 200_000, this::publishBatch);
    }

    /** Starts publishing and connects the subscription, once every listener registered its handlers. */
    void start() {
        publisher.start();
        writerThread = Thread.ofPlatform().name("redis-subscription-writer").daemon().start(this::writeLoop);
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
        if (!publisher.offer(new Publication(List.of(channel), payload, false))) {
            metrics.error("redis");
        }
    }

    @Override
    public void publishElsewhere(List<String> channels, String payload) {
        if (!publisher.offer(new Publication(List.copyOf(channels), payload, true))) {
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
                sendSubscribe(channel);
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
                sendUnsubscribe(channel);
            }
        }
    }

    /** Queues the listing of a channel, then its SUBSCRIBE; under {@code subscriberLock}. */
    private void sendSubscribe(String channel) {
        pendingAcks.merge(channel, 1, Integer::sum);
        commands.add(new Subscribing(subscriber, channel));
    }

    /** Queues the UNSUBSCRIBE of a channel, then the end of its listing; under {@code subscriberLock}. */
    private void sendUnsubscribe(String channel) {
        commands.add(new Unsubscribing(subscriber, channel));
    }

    /** Whether a command was queued for the connection in subscribe mode now (not one that is gone). */
    private boolean isCurrent(Subscriber target) {
        synchronized (subscriberLock) {
            return target == subscriber;
        }
    }

    /**
     * Lists exactly the channels of a connection being set up, on the writer thread (after every command queued
     * before), and waits for it. When that fails (Redis full, or the writer held up), the connection is set up all
     * the same, unlisted: the next check lists it again and catches up, rather than leave the instance deaf.
     */
    private void relist(Set<String> wanted) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(new Task(() -> {
            listingLost = !writeListing(jedis -> listing.reconcile(jedis, wanted));
            listingCheckedAt = System.nanoTime();
            done.complete(null);
        }));
        try {
            done.get(RELIST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listingLost = true;
        } catch (ExecutionException | TimeoutException e) {
            listingLost = true; // the writer is held up; it lists them all in its next check
        }
    }

    /** Writes the queued commands, in order, outside any lock; checks the listing when idle and every while. */
    private void writeLoop() {
        List<WriterCommand> batch = new ArrayList<>();
        try {
            while (true) {
                WriterCommand first;
                try {
                    first = commands.poll(LISTING_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (first != null) {
                    batch.add(first);
                    commands.drainTo(batch, 10_000);
                    if (!write(batch)) {
                        return;
                    }
                    batch.clear();
                }
                if (System.nanoTime() - listingCheckedAt >= TimeUnit.MILLISECONDS.toNanos(LISTING_CHECK_MILLIS)) {
                    checkListing();
                }
            }
        } finally {
            closeListing();
        }
    }

    /**
     * Writes commands in order: each run of subscriptions lists its channels in one round trip, then subscribes.
     *
     * @return false at {@link #STOP_WRITING}
     */
    private boolean write(List<WriterCommand> batch) {
        List<Subscribing> run = new ArrayList<>();
        for (WriterCommand command : batch) {
            if (command instanceof Subscribing subscribing) {
                run.add(subscribing);
                continue;
            }
            subscribeAll(run);
            run.clear();
            if (command == STOP_WRITING) {
                return false;
            }
            try {
                switch (command) {
                case Unsubscribing u when isCurrent(u.target()) -> {
                    u.target().unsubscribe(u.channel());
                    if (!writeListing(jedis -> listing.remove(jedis, u.channel()))) {
                        listingStale = true; // still listed, not subscribed: only a needless publication
                    }
                }
                case Task task -> task.work().run();
                default -> { } // for a connection that is gone: the next one subscribes to what is wanted then
                }
            } catch (RuntimeException e) {
                // the connection broke; the reconnect subscribes to every channel wanted then
            }
        }
        subscribeAll(run);
        return true;
    }

    /** Lists channels, then subscribes to them; subscribed even when they could not be listed (caught up later). */
    private void subscribeAll(List<Subscribing> run) {
        List<Subscribing> current = run.stream().filter(s -> isCurrent(s.target())).toList();
        if (current.isEmpty()) {
            return;
        }
        if (!writeListing(jedis -> listing.add(jedis, current.stream().map(Subscribing::channel).toList()))) {
            listingLost = true;
        }
        try {
            for (Subscribing subscribing : current) {
                subscribing.target().subscribe(subscribing.channel());
            }
        } catch (RuntimeException e) {
            // the connection broke; the reconnect subscribes to every channel wanted then
        }
    }

    /** Writes to this instance's listing, on the writer thread; false when that failed (logged). */
    private boolean writeListing(Consumer<Jedis> write) {
        try {
            if (listingConnection == null) {
                listingConnection = connect();
            }
            write.accept(listingConnection);
            return true;
        } catch (JedisException e) {
            if (!(e instanceof JedisDataException)) {
                closeListing();
            }
            metrics.error("redis");
            LOGGER.warning(() -> "could not write this instance's pub/sub listing (written again within "
                                 + LISTING_CHECK_MILLIS + " ms of Redis taking it): " + e.getMessage());
            return false;
        }
    }

    /**
     * Lists every channel again when this instance's listing is gone from Redis (emptied, or this instance taken
     * for dead) or could not be written, then catches up on what other instances left out meanwhile; or when
     * only a removal failed, without the catch-up.
     */
    private void checkListing() {
        listingCheckedAt = System.nanoTime();
        Set<String> wanted;
        synchronized (subscriberLock) {
            if (!subscribed) {
                return; // a connection being set up lists every channel anyway
            }
            wanted = Set.copyOf(channels.keySet());
        }
        boolean lost = listingLost;
        if (!lost) {
            try {
                if (listingConnection == null) {
                    listingConnection = connect();
                }
                lost = !listing.intact(listingConnection);
            } catch (JedisException e) {
                closeListing(); // the subscription hears of an outage by itself
                return;
            }
        }
        if (!lost && !listingStale) {
            return;
        }
        if (lost) {
            LOGGER.warning("this instance's pub/sub listing was lost; listing every channel again, then catching up");
        }
        if (!writeListing(jedis -> listing.reconcile(jedis, wanted))) {
            listingLost = listingLost || lost;
            return;
        }
        listingStale = false;
        if (lost) {
            listingLost = false;
            handlers.resubscribed();
        }
    }

    private void closeListing() {
        if (listingConnection != null) {
            try {
                listingConnection.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            listingConnection = null;
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
        List<Publication> pending = batch;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (publishConnection == null) {
                    publishConnection = connect();
                    publishElsewhereSha = ChannelListeners.load(publishConnection);
                }
                pending = publish(pending);
                if (!pending.isEmpty()) {
                    // Redis lost the script (restarted, or SCRIPT FLUSH): load it again, send those again
                    publishElsewhereSha = ChannelListeners.load(publishConnection);
                    pending = publish(pending);
                }
                if (!pending.isEmpty()) {
                    throw new JedisDataException("the publish-elsewhere script is not loaded");
                }
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

    /**
     * Sends publications as one pipeline.
     *
     * @return those Redis answered {@code NOSCRIPT} for
     */
    private List<Publication> publish(List<Publication> batch) {
        Pipeline pipeline = publishConnection.pipelined();
        List<Response<Object>> answers = new ArrayList<>(batch.size());
        for (Publication publication : batch) {
            // encoded once, however many channels it goes to (a group's members)
            byte[] payload = SafeEncoder.encode(publication.payload());
            if (publication.elsewhere()) {
                answers.add(listing.publishElsewhere(pipeline, publishElsewhereSha, publication.channels(), payload));
            } else {
                answers.add(null);
                for (String channel : publication.channels()) {
                    pipeline.publish(SafeEncoder.encode(channel), payload);
                }
            }
        }
        pipeline.sync();
        List<Publication> again = List.of();
        for (int i = 0; i < batch.size(); i++) {
            Response<Object> answer = answers.get(i);
            if (answer == null) {
                continue;
            }
            try {
                answer.get();
            } catch (JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                    throw e;
                }
                if (again.isEmpty()) {
                    again = new ArrayList<>();
                }
                again.add(batch.get(i));
            }
        }
        return again;
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
        AtomicBoolean everSubscribed = new AtomicBoolean();
        while (running) {
            try (Jedis jedis = new Jedis(address, clientConfig)) {
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
                relist(Set.of(initial));
                boolean reconnect = everSubscribed.get();
                fresh.onFirstConfirmation = () -> {
                    everSubscribed.set(true);
                    synchronized (subscriberLock) {
                        subscribed = true;
                        // channels taken or dropped while the connection was being set up
                        Set<String> initialSet = Set.of(initial);
                        for (String channel : channels.keySet()) {
                            if (!initialSet.contains(channel)) {
                                sendSubscribe(channel);
                            }
                        }
                        for (String channel : initial) {
                            if (!channels.containsKey(channel)) {
                                sendUnsubscribe(channel);
                            }
                        }
                    }
                    if (reconnect) {
                        LOGGER.info("Redis subscription restored; catching up from MongoDB");
                        handlers.resubscribed();
                    }
                };
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
                commands.add(new Task(current::unsubscribe));
            }
            commands.add(new Task(() -> writeListing(listing::forget)));
            commands.add(STOP_WRITING);
        }
        if (subscriberThread != null) {
            subscriberThread.interrupt();
        }
        if (writerThread != null) {
            try {
                writerThread.join(CLOSE_WAIT_MILLIS); // the listing goes before the process does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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


    /** What the writer thread writes, in order. */
    private sealed interface WriterCommand permits Subscribing, Unsubscribing, Task {
    }

    /** SUBSCRIBE, for the connection in subscribe mode at the time, after the channel is listed. */
    private record Subscribing(Subscriber target, String channel) implements WriterCommand {
    }

    /** UNSUBSCRIBE, for the connection in subscribe mode at the time, then the listing's removal. */
    private record Unsubscribing(Subscriber target, String channel) implements WriterCommand {
    }

    /** Anything else, in its turn. */
    private record Task(Runnable work) implements WriterCommand {
    }

    /** A payload for channels: on each of them, or ({@code elsewhere}) on those another instance listens on. */
    private record Publication(List<String> channels, String payload, boolean elsewhere) {
    }
}
