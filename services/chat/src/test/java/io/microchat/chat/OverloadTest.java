package io.microchat.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static io.microchat.chat.ChatTestStack.ws;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Issue 13, item 9: an instance driven past its capacity (a send queue of 4, or 10 ms of waiting) answers
 * {@code overloaded} with a retry hint instead of queueing without bound; the Java client sends again with the
 * same clientId after the hint; in the end every acknowledged message reached its recipient exactly once.
 */
class OverloadTest {

    private static final int SENDERS = 10;
    private static final int EACH = 200;
    private static ChatTestStack stack;
    private static ChatServer chat;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        chat = stack.chatInProcess("chat-overload", Map.of("app.limits.send-queue", "4",
                                                            "app.limits.send-queue-max-age", "PT0.01S",
                                                            "app.limits.messages-per-second", "10000",
                                                            "app.limits.burst", "10000"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void pastItsCapacityTheInstanceSaysOverloadedAndLosesOrDuplicatesNothingItAcknowledged() {
        AuthClient.Token recipient = stack.newUser("sink");
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Map<String, Long> latency = new ConcurrentHashMap<>();
        ChatClient.Options options = new ChatClient.Options(null, true, false, null, frame -> {
            if ("message".equals(frame.getString("type"))) {
                received.computeIfAbsent(frame.getString("id"), id -> new AtomicInteger()).incrementAndGet();
                latency.put(frame.getString("id"), System.currentTimeMillis() - frame.getJsonNumber("ts").longValue());
            }
        });
        List<ChatClient> senders = new ArrayList<>();
        try (ChatClient sink = ChatClient.connect(ws(chat.port()), recipient.username(), recipient.value(),
                                                  new MessageLog(), options)) {
            sink.awaitReplayed(WAIT);
            for (int s = 0; s < SENDERS; s++) {
                senders.add(connect(chat.port(), stack.newUser("flood")));
            }
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < EACH; i++) {
                for (ChatClient sender : senders) {
                    sends.add(sender.sendPrivate(recipient.username(), "load " + i));
                }
            }
            Set<String> acknowledged = new HashSet<>();
            List<String> errors = new ArrayList<>();
            for (CompletableFuture<JsonObject> send : sends) {
                JsonObject answer = send.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
                if ("sent".equals(answer.getString("type"))) {
                    acknowledged.add(answer.getString("id"));
                } else {
                    errors.add(answer.toString());
                }
            }
            long retries = senders.stream().mapToLong(ChatClient::overloadedRetries).sum();
            System.out.printf("overload: %d sends, %d acknowledged, %d overloaded answers retried%n",
                              sends.size(), acknowledged.size(), retries);

            assertThat("errors other than overloaded", errors, is(empty()));
            assertThat("the instance pushed back", retries, greaterThan(0L));
            assertThat("every send was acknowledged in the end, once", acknowledged.size(), is(SENDERS * EACH));
            await().atMost(WAIT.multipliedBy(3)).until(() -> received.keySet().containsAll(acknowledged));
            assertThat("nothing but the acknowledged messages arrived", received.keySet(), is(acknowledged));
            assertThat("duplicates", received.values().stream().filter(c -> c.get() != 1).count(), is(0L));
            long worst = latency.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("overload: slowest accepted message took %d ms from acceptance to the recipient%n",
                              worst);
            assertThat("accepted messages keep a bounded latency, ms", worst, lessThan(2_000L));
        } finally {
            senders.forEach(ChatClient::close);
        }
    }
}
