package io.microchat.chat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Issue 19, past capacity: every queue of the send path is held to the send queue's age, counting the batch being
 * written. A store that does not answer (here a socket that accepts and never replies, as a partitioned MongoDB)
 * makes sends wait as soon as the write in flight is older than the bound, with nothing queued behind it; a
 * receipt that cannot be written counts the same as a message, so the receipt queue cannot grow while sends
 * are accepted.
 */
class StoreBackpressureTest {

    private static final long MAX_AGE_MILLIS = 50;

    @Test
    void aReceiptTheStoreDoesNotAnswerMakesSendsWaitOnceItIsOlderThanTheBound() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MongoClient client = MongoClients.create(uri(blackHole))) {
            MessageStore store = new MessageStore(client.getDatabase("backpressure"), metrics("receipt"),
                                                  new QueueBound(100, MAX_AGE_MILLIS));
            store.start();
            try {
                assertThat("idle", store.overloadedFor(), is(0L));
                CountDownLatch recorded = new CountDownLatch(1);
                store.markDelivered("m1", at -> recorded.countDown());
                await().atMost(Duration.ofSeconds(2)).until(() -> store.overloadedFor() > 0);
                assertThat("a retry hint of at least a round trip", store.overloadedFor(),
                           greaterThanOrEqualTo(QueueBound.MIN_RETRY_MILLIS));
                // the write fails after the driver's timeout; the receipt is best effort (docs/protocol.md)
                assertThat(recorded.await(15, TimeUnit.SECONDS), is(true));
                await().atMost(Duration.ofSeconds(2)).until(() -> store.overloadedFor() == 0);
            } finally {
                store.close();
            }
        }
    }

    @Test
    void aMessageInTheInsertBeingWrittenCountsThoughNothingIsQueued() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MongoClient client = MongoClients.create(uri(blackHole))) {
            MessageStore store = new MessageStore(client.getDatabase("backpressure"), metrics("insert"),
                                                  new QueueBound(100, MAX_AGE_MILLIS));
            store.start();
            try {
                var stored = store.store(new ChatMessage("m1", 1L, "alice", "bob", null, "hi", "c1", null));
                await().atMost(Duration.ofSeconds(2)).until(() -> store.overloadedFor() > 0);
                // failed, not acknowledged: the sender is told to send it again
                await().atMost(Duration.ofSeconds(15)).until(stored::isDone);
                assertThat(stored.isCompletedExceptionally(), is(true));
                await().atMost(Duration.ofSeconds(2)).until(() -> store.overloadedFor() == 0);
            } finally {
                store.close();
            }
        }
    }

    /**
     * A Redis that accepts and never answers holds sends back only until the first attempt to publish fails: then
     * publications are dropped after their attempts (recipients get the messages on replay) and sends go on, as
     * they do with Redis down (docs/architecture.md, "Faults").
     */
    @Test
    void aRedisThatHangsHoldsSendsBackOnlyUntilTheFirstAttemptFails() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RedisBus bus = new RedisBus(java.net.URI.create("redis://127.0.0.1:" + blackHole.getLocalPort()),
                                        metrics("redis"));
            bus.start();
            try {
                bus.publish(Channels.user("bob"), "payload");
                await().atMost(Duration.ofSeconds(3)).until(() -> bus.oldestWaitMillis() > MAX_AGE_MILLIS);
                // the socket timeout (5 s) ends the first attempt; the wait is no reason to refuse sends after it
                await().atMost(Duration.ofSeconds(15)).until(() -> bus.oldestWaitMillis() == 0);
                bus.publish(Channels.user("bob"), "another");
                Thread.sleep(3 * MAX_AGE_MILLIS);
                assertThat("publishing fails: sends go on", bus.oldestWaitMillis(), is(0L));
            } finally {
                bus.close();
            }
        }
    }

    private static String uri(ServerSocket blackHole) {
        return "mongodb://127.0.0.1:" + blackHole.getLocalPort()
               + "/?serverSelectionTimeoutMS=1500&connectTimeoutMS=1500&socketTimeoutMS=1500";
    }

    private static ChatMetrics metrics(String name) {
        return new ChatMetrics(Metrics.globalRegistry(), "backpressure-" + name);
    }
}
