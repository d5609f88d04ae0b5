package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.microchat.protocol.ErrorCode;

/**
 * The chat service's meters, exported in Prometheus text format at {@code /observe/metrics}:
 * {@code chat_connections}, {@code chat_messages_received_total}, {@code chat_messages_stored_total},
 * {@code chat_messages_delivered_total{path}}, {@code chat_delivery_latency_seconds{path}} (histogram),
 * {@code chat_messages_replayed_total}, {@code chat_errors_total{component}},
 * {@code chat_frames_rejected_total{code}}, {@code chat_presence_users}, {@code chat_slow_consumers_total},
 * {@code chat_sessions_closed_total{how}}.
 * Every meter carries the {@code chat_instance} tag (not {@code instance}, which Prometheus sets to the target).
 */
final class ChatMetrics {

    /** How a delivered message reached the instance that wrote it to the client. */
    enum Path {
        /** Sender and recipient on the same instance: no Redis round trip. */
        LOCAL,
        /** From another instance through Redis pub/sub. */
        REDIS,
        /** Read back from MongoDB after a reconnect or an outage. */
        REPLAY;

        final String tag = name().toLowerCase();
    }

    private final MeterRegistry registry;
    private final Tag instance;
    private final AtomicInteger connections = new AtomicInteger();
    /** Set by {@link Presence} whenever its view changes. */
    private final AtomicInteger presenceUsers = new AtomicInteger();
    private final Counter received;
    private final Counter stored;
    private final Counter replayed;
    private final Counter slowConsumers;
    private final Counter[] delivered = new Counter[Path.values().length];
    private final Timer[] latency = new Timer[Path.values().length];
    /**
     * The counters named by a word (a rejection's code, a failing component, how a session closed), each looked up
     * in the registry once: a lookup builds and matches the meter's id, which at overload, when every refused send
     * counts a rejection, cost as much as building the answer. The words are the protocol's and the code's own, so the
     * maps stay small.
     */
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> sessionsClosed = new ConcurrentHashMap<>();

    ChatMetrics(MeterRegistry registry, String instanceId) {
        this.registry = registry;
        this.instance = Tag.create("chat_instance", instanceId);
        registry.getOrCreate(Gauge.builder("chat.connections", connections::get)
                                     .description("Open WebSocket connections").tags(List.of(instance)));
        registry.getOrCreate(Gauge.builder("chat.presence.users", presenceUsers::get)
                                     .description("Users online on any instance, as this instance sees it")
                                     .tags(List.of(instance)));
        received = counter("chat.messages.received", "Send frames accepted for storage");
        stored = counter("chat.messages.stored", "Messages stored in MongoDB");
        replayed = counter("chat.messages.replayed", "Messages replayed from MongoDB");
        slowConsumers = counter("chat.slow.consumers", "Connections closed because the client did not keep up");
        // present at 0 from the start, so that alerts on them see a series before the first failure
        List.of("mongodb", "redis").forEach(component -> errors(component));
        List.of(ErrorCode.STORE_UNAVAILABLE, ErrorCode.INTERNAL_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.OVERLOADED)
                .forEach(code -> rejections(code));
        for (Path path : Path.values()) {
            Tag pathTag = Tag.create("path", path.tag);
            delivered[path.ordinal()] = registry.getOrCreate(
                    Counter.builder("chat.messages.delivered").description("Message frames written to clients")
                            .tags(List.of(instance, pathTag)));
            if (path != Path.REPLAY) {
                latency[path.ordinal()] = registry.getOrCreate(
                        Timer.builder("chat.delivery.latency")
                                .description("From acceptance of a message to its write to a recipient's socket")
                                .tags(List.of(instance, pathTag))
                                .buckets(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                                         Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                                         Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                                         Duration.ofSeconds(1), Duration.ofSeconds(5)));
            }
        }
    }

    static ChatMetrics global(String instanceId) {
        return new ChatMetrics(Metrics.globalRegistry(), instanceId);
    }

    /**
     * How many users are online on any instance, as this one sees it.
     *
     * @param count the users
     */
    void presenceUsers(int count) {
        presenceUsers.set(count);
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void received() {
        received.increment();
    }

    void stored(int count) {
        stored.increment(count);
    }

    void replayed(int count) {
        replayed.increment(count);
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    void delivered(Path path, long acceptedAtMillis) {
        delivered[path.ordinal()].increment();
        Timer timer = latency[path.ordinal()];
        if (timer != null && acceptedAtMillis > 0) {
            timer.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - acceptedAtMillis)));
        }
    }

    void error(String component) {
        errors(component).increment();
    }

    void rejected(String code) {
        rejections(code).increment();
    }

    void sessionClosed(String how) {
        sessionsClosed.computeIfAbsent(how, word -> registry.getOrCreate(
                Counter.builder("chat.sessions.closed")
                        .description("Connections closed because their session ended, by how the instance learnt it "
                                     + "(redis, sweep, auth, reauth)")
                        .tags(List.of(instance, Tag.create("how", word))))).increment();
    }

    private Counter errors(String component) {
        return errors.computeIfAbsent(component, word -> registry.getOrCreate(
                Counter.builder("chat.errors").description("Failures talking to a backing service")
                        .tags(List.of(instance, Tag.create("component", word)))));
    }

    private Counter rejections(String code) {
        return rejections.computeIfAbsent(code, word -> registry.getOrCreate(
                Counter.builder("chat.frames.rejected").description("Client frames answered with an error")
                        .tags(List.of(instance, Tag.create("code", word)))));
    }

    private Counter counter(String name, String description) {
        return registry.getOrCreate(Counter.builder(name).description(description).tags(List.of(instance)));
    }
}
