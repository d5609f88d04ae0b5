package io.microchat.chat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.RawWebSocket;
import io.microchat.protocol.CloseCode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static io.microchat.chat.ChatTestStack.ws;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Issue 13, item 3: a client that stops reading and asks for 300 history pages of about 1.2 MB each (0.8 MB in
 * memory) would make the instance hold 240 MB. It is closed instead once its outbox holds 2 MiB; the instance's
 * outboxes and its heap stay bounded, and two other clients keep chatting with normal latency meanwhile.
 */
class SlowReaderTest {

    private static final int PAGE = 100;
    private static final int PAGES_ASKED = 300;
    private static ChatTestStack stack;
    private static ChatServer chat;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        // the seeding sends 100 messages at once
        chat = stack.chatInProcess("chat-slow", Map.of("app.limits.messages-per-second", "1000",
                                                        "app.limits.burst", "1000"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aClientThatStopsReadingIsClosedWhileTheInstanceStaysBoundedAndOthersChat() throws Exception {
        AuthClient.Token hog = stack.newUser("hog");
        AuthClient.Token quiet = stack.newUser("quiet");
        try (ChatClient seeder = connect(chat.port(), hog)) {
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < PAGE; i++) {
                // 4,000 characters, three bytes each in UTF-8, two in memory
                sends.add(seeder.sendPrivate(quiet.username(), "€".repeat(3_996) + String.format("%04d", i)));
            }
            sends.forEach(s -> assertThat(s.join().getString("type"), is("sent")));
        }
        long heapBefore = usedHeapAfterGc();
        OutboxBudgets budgets = chat.budgets();

        AuthClient.Token alice = stack.newUser("alice");
        AuthClient.Token bob = stack.newUser("bob");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ChatClient.Options bobOptions = new ChatClient.Options(null, true, false, m -> {
            Long at = sentAt.get(m.getString("text"));
            if (at != null) {
                latencies.add(System.nanoTime() - at);
            }
        }, null);
        try (ChatClient aliceClient = connect(chat.port(), alice);
             ChatClient bobClient = ChatClient.connect(ws(chat.port()), bob.username(), bob.value(),
                                                        new MessageLog(), bobOptions);
             RawWebSocket raw = RawWebSocket.connect(chat.port(), 4_096)) {
            bobClient.awaitReplayed(WAIT);
            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicLong peakOutboxes = new AtomicLong();
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (attacking.get()) {
                    peakOutboxes.accumulateAndGet(budgets.total(), Math::max);
                    Thread.onSpinWait();
                }
            });
            Thread chatter = Thread.ofPlatform().start(() -> {
                for (int i = 0; attacking.get() || i < 20; i++) {
                    String text = "hello " + i;
                    sentAt.put(text, System.nanoTime());
                    aliceClient.sendPrivate(bob.username(), text).join();
                    sleep(50);
                }
            });

            raw.sendText("{\"type\":\"auth\",\"token\":\"" + hog.value() + "\"}");
            int asked = 0;
            try {
                for (; asked < PAGES_ASKED; asked++) {
                    raw.sendText("{\"type\":\"history\",\"requestId\":\"h" + asked + "\",\"with\":\""
                                 + quiet.username() + "\",\"limit\":" + PAGE + "}");
                }
            } catch (IOException e) {
                // the server closed the connection while we were still asking
            }
            // closed, its queue dropped, and the write it was stuck in cut off
            await("the slow reader's outbox released").atMost(WAIT.multipliedBy(3))
                    .until(() -> budgets.total() < 64 * 1024);
            int closeCode = raw.readUntilClosed(10_000);
            // and forgotten: Helidon does not report a cut connection, the hub's sweep finds it
            await("only alice and bob connected").atMost(WAIT)
                    .until(() -> chat.connectionCount() == 2);
            attacking.set(false);
            sampler.join();
            chatter.join();
            long heapGrowth = usedHeapAfterGc() - heapBefore;

            System.out.printf("slow reader: asked %d pages, closed with %d; peak outboxes %,d bytes; heap growth %,d "
                              + "bytes; %d messages between others, slowest %d ms%n", asked, closeCode,
                              peakOutboxes.get(), heapGrowth, latencies.size(),
                              latencies.stream().mapToLong(l -> l / 1_000_000).max().orElse(-1));
            assertThat("closed as too slow (or cut when the close frame could not be written)",
                       closeCode, anyOf(is(CloseCode.TOO_SLOW), is(1006)));
            // the connection's 2 MiB, one page over it, and what the chatting clients hold
            long bound = budgets.connectionLimit() + 2 * pageCost() + (1 << 20);
            assertThat("peak bytes in all outboxes", peakOutboxes.get(), lessThanOrEqualTo(bound));
            assertThat("peak bytes show the pages were really queued", peakOutboxes.get(), greaterThan(pageCost()));
            assertThat("heap growth after a collection", heapGrowth, lessThan(64L << 20));

            await().atMost(WAIT).until(() -> latencies.size() >= 20 && latencies.size() == sentAt.size());
            List<Long> sorted = latencies.stream().sorted().toList();
            long worstMillis = sorted.getLast() / 1_000_000;
            assertThat("the slowest of " + sorted.size() + " messages between two other clients, ms",
                       worstMillis, lessThan(1_500L));
        }
        // the hog reconnects, reads, and gets its page
        try (ChatClient again = connect(chat.port(), hog)) {
            JsonObject page = again.history("with", quiet.username(), null, PAGE, WAIT);
            assertThat(page.getJsonArray("messages").size(), is(PAGE));
        }
    }

    /** What one page of the seeded messages costs in an outbox: two bytes a character, a little JSON around. */
    private static long pageCost() {
        return PAGE * (2L * 4_000 + 400);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
