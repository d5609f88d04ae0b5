package io.microchat.chat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.metrics.api.Metrics;
import io.microchat.devstack.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * {@link PubSub#publishElsewhere} between two {@link RedisBus}es on a real Redis: a publication on a user's
 * channel goes out only when another instance listens, and never is one left out that a subscriber could hear,
 * even when the listing is lost (Redis emptied, this instance forgotten, the script flushed).
 */
class ChannelListenersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String END = "test:end";

    private EmbeddedRedis redis;
    private RedisBus a;
    private RedisBus b;
    private Jedis jedis;
    private final Map<String, List<String>> heardByB = new ConcurrentHashMap<>();
    private final AtomicInteger resubscribedB = new AtomicInteger();
    private Outsider outsider;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.onFreePort().start();
        URI url = URI.create(redis.url());
        a = new RedisBus(url, "a", new ChatMetrics(Metrics.globalRegistry(), "listeners-a"));
        b = new RedisBus(url, "b", new ChatMetrics(Metrics.globalRegistry(), "listeners-b"));
        a.handlePrefix(Channels.USER_PREFIX, (channel, payload) -> { });
        b.handlePrefix(Channels.USER_PREFIX, (channel, payload) ->
                heardByB.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(payload));
        b.onResubscribed(resubscribedB::incrementAndGet);
        for (RedisBus bus : List.of(a, b)) {
            bus.handle("test:fixed", payload -> { }); // like the room's channel: subscribed from the start
        }
        a.start();
        b.start();
        jedis = new Jedis(url);
        outsider = new Outsider(url);
    }

    @AfterEach
    void stop() {
        outsider.close();
        a.close();
        b.close();
        jedis.close();
        redis.stop();
    }

    @Test
    void aPublicationGoesOutOnlyOnChannelsAnotherInstanceListensOn() throws Exception {
        confirmed(a.subscribe(Channels.user("alice")));
        confirmed(b.subscribe(Channels.user("bob")));

        a.publishElsewhere(List.of(Channels.user("alice"), Channels.user("bob")), "one");
        assertThat("only bob's channel has a listener elsewhere", outsider.heardUntilEnd(a),
                   contains(Channels.user("bob") + "=one"));
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("bob"), List.of()).contains("one"));

        confirmed(b.subscribe(Channels.user("alice"))); // alice opens a second device, on b
        a.publishElsewhere(List.of(Channels.user("alice")), "two");
        assertThat(outsider.heardUntilEnd(a), contains(Channels.user("alice") + "=two"));
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("alice"), List.of()).contains("two"));

        b.unsubscribe(Channels.user("alice")); // and closes it
        await().atMost(WAIT).until(() -> !jedis.sismember(ChannelListeners.listenersKey(Channels.user("alice")), "b"));
        a.publishElsewhere(List.of(Channels.user("alice")), "three");
        assertThat(outsider.heardUntilEnd(a), is(empty()));

        a.publish(Channels.user("alice"), "four"); // a plain publication goes out regardless
        assertThat(outsider.heardUntilEnd(a), contains(Channels.user("alice") + "=four"));
    }

    /**
     * The promise a connection's replay relies on: whatever is published after its subscription is confirmed is
     * heard, while publications flow without a pause across the subscription.
     */
    @Test
    void everythingPublishedAfterTheConfirmationIsHeardWhileMessagesFlow() throws Exception {
        for (int round = 0; round < 20; round++) {
            String channel = Channels.user("carol-" + round);
            AtomicInteger queued = new AtomicInteger();
            AtomicBoolean flowing = new AtomicBoolean(true);
            Thread publisher = Thread.ofPlatform().start(() -> {
                while (flowing.get()) {
                    a.publishElsewhere(List.of(channel), Integer.toString(queued.incrementAndGet()));
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            });
            Thread.sleep(5 + round % 7);
            confirmed(b.subscribe(channel));
            int before = queued.get();
            Thread.sleep(30);
            flowing.set(false);
            publisher.join();
            int last = queued.get();
            assertThat(a.awaitPublished(WAIT.toMillis()), is(true));
            List<String> expected = new ArrayList<>();
            for (int n = before + 1; n <= last; n++) {
                expected.add(Integer.toString(n));
            }
            await().atMost(WAIT).until(() -> heardByB.getOrDefault(channel, List.of()).containsAll(expected));
            b.unsubscribe(channel);
        }
    }

    @Test
    void aListingRedisLostIsWrittenAgainAndTheSubscriptionCatchesUp() throws Exception {
        confirmed(b.subscribe(Channels.user("dave")));
        assertThat(resubscribedB.get(), is(0));

        jedis.flushAll(); // a Redis emptied without a restart: the connections stay, the listing is gone
        await().atMost(WAIT).until(() -> resubscribedB.get() == 1);
        assertListed("b", Channels.user("dave"));
        a.publishElsewhere(List.of(Channels.user("dave")), "after the flush");
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("dave"), List.of())
                .contains("after the flush"));
    }

    @Test
    void anInstanceForgottenWhileAliveListsItselfAgainAndCatchesUp() throws Exception {
        confirmed(b.subscribe(Channels.user("erin")));

        ChannelListeners.forget(jedis, "b"); // another instance took b for dead
        await().atMost(WAIT).until(() -> resubscribedB.get() == 1);
        assertListed("b", Channels.user("erin"));
        a.publishElsewhere(List.of(Channels.user("erin")), "heard again");
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("erin"), List.of())
                .contains("heard again"));
    }

    /** A full Redis refuses the listing but not the subscription: the instance is not deaf meanwhile. */
    @Test
    void aListingRefusedByAFullRedisIsWrittenOnceItHasRoomAndTheInstanceCatchesUp() throws Exception {
        jedis.configSet("maxmemory-policy", "noeviction");
        jedis.configSet("maxmemory", "1");
        try {
            confirmed(b.subscribe(Channels.user("henry")));
            assertThat(jedis.sismember(ChannelListeners.listenersKey(Channels.user("henry")), "b"), is(false));
            a.publish(Channels.user("henry"), "heard while full"); // a plain publication needs no memory
            await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("henry"), List.of())
                    .contains("heard while full"));
            assertThat(resubscribedB.get(), is(0));
        } finally {
            jedis.configSet("maxmemory", "0");
        }
        await().atMost(WAIT).until(() -> resubscribedB.get() == 1);
        assertListed("b", Channels.user("henry"));
        a.publishElsewhere(List.of(Channels.user("henry")), "listed again");
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("henry"), List.of())
                .contains("listed again"));
    }

    @Test
    void aFlushedScriptIsLoadedAgainAndNothingIsDropped() throws Exception {
        confirmed(b.subscribe(Channels.user("frank")));
        a.publishElsewhere(List.of(Channels.user("frank")), "before");
        assertThat(a.awaitPublished(WAIT.toMillis()), is(true));

        jedis.scriptFlush();
        a.publishElsewhere(List.of(Channels.user("frank")), "after");
        await().atMost(WAIT).until(() -> heardByB.getOrDefault(Channels.user("frank"), List.of())
                .containsAll(List.of("before", "after")));
    }

    @Test
    void anInstanceThatClosesTakesItsListingAlong() throws Exception {
        confirmed(b.subscribe(Channels.user("grace")));
        assertListed("b", Channels.user("grace"));

        b.close();
        assertThat("gone before close returns", jedis.exists(ChannelListeners.channelsKey("b")), is(false));
        assertThat(jedis.sismember(ChannelListeners.listenersKey(Channels.user("grace")), "b"), is(false));
        assertThat("the other instance's listing stays", jedis.sismember(ChannelListeners.channelsKey("a"),
                                                                          ChannelListeners.MARKER), is(true));
    }

    private void assertListed(String instance, String channel) {
        assertThat(jedis.sismember(ChannelListeners.listenersKey(channel), instance), is(true));
        assertThat(jedis.sismember(ChannelListeners.channelsKey(instance), channel), is(true));
        assertThat(jedis.sismember(ChannelListeners.channelsKey(instance), ChannelListeners.MARKER), is(true));
    }

    private static void confirmed(java.util.concurrent.CompletableFuture<Void> subscription) throws Exception {
        subscription.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A raw subscriber to every channel: what Redis really published. A bus publishes in order over one
     * connection, so once its plain publication on {@link #END} is heard, everything it published before is too.
     */
    private static final class Outsider extends JedisPubSub implements AutoCloseable {
        private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        private final Jedis connection;

        Outsider(URI url) throws InterruptedException {
            connection = new Jedis(url);
            Thread.ofPlatform().daemon().start(() -> connection.psubscribe(this, "*"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!isSubscribed() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            if (channel.startsWith(Channels.USER_PREFIX) || channel.equals(END)) {
                heard.add(channel + "=" + message);
            }
        }

        List<String> heardUntilEnd(RedisBus bus) throws InterruptedException {
            bus.publish(END, "end");
            List<String> before = new ArrayList<>();
            while (true) {
                String next = heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new AssertionError("the end marker was not heard; heard " + before);
                }
                if (next.equals(END + "=end")) {
                    return before;
                }
                before.add(next);
            }
        }

        @Override
        public void close() {
            if (isSubscribed()) {
                punsubscribe();
            }
            connection.close();
        }
    }
}
