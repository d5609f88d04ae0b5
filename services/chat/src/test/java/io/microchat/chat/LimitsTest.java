package io.microchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * Every limit of docs/protocol.md ("Limits") at its value and one past it: at the value the request is served,
 * past it the documented answer comes, nothing is stored that should not be, and the connection stays usable.
 * The instance runs with the documented defaults, except a small outbox limit (64 KiB) so that one history page
 * of long messages is larger than it.
 */
class LimitsTest {

    private static final int OUTBOX_LIMIT = 64 * 1024;
    private static ChatTestStack stack;
    private static ChatServer chat;
    private static AuthClient.Token user;
    private static AuthClient.Token peer;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        chat = stack.chatInProcess("chat-limits", Map.of("app.limits.outbox-bytes", String.valueOf(OUTBOX_LIMIT),
                                                         "app.limits.user-outbox-bytes",
                                                         String.valueOf(2 * OUTBOX_LIMIT)));
        user = stack.newUser("edge");
        peer = stack.newUser("other");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static void assertUsable(ChatClient client) {
        client.sendRaw("{\"type\":\"ping\"}");
        client.awaitFrame(f -> "pong".equals(f.getString("type")), WAIT);
        assertThat(client.closed().isDone(), is(false));
    }

    private static JsonObject historyAnswer(ChatClient client, Object limit) {
        String requestId = UUID.randomUUID().toString();
        client.sendRaw("{\"type\":\"history\",\"requestId\":\"" + requestId + "\",\"with\":\"" + peer.username()
                       + "\",\"limit\":" + limit + "}");
        return client.awaitFrame(f -> requestId.equals(f.getString("requestId", "")), WAIT);
    }

    @Test
    void historyPageSizeFrom1To100() throws Exception {
        try (ChatClient client = connect(chat.port(), user)) {
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                sends.add(client.sendPrivate(peer.username(), "page " + i));
                if (i % 30 == 29) {
                    Thread.sleep(1_600); // within the send rate
                }
            }
            sends.forEach(s -> assertThat(s.join().getString("type"), is("sent")));
            for (int limit : new int[] {1, 100}) {
                JsonObject page = historyAnswer(client, limit);
                assertThat(page.getString("type"), is("history"));
                assertThat(page.getJsonArray("messages").size(), is(limit));
                assertThat("more pages follow", page.isNull("next"), is(false));
            }
            for (Object limit : new Object[] {0, 101, -1, 2.5, "\"50\""}) {
                JsonObject refused = historyAnswer(client, limit);
                assertThat(limit + " is refused", refused.getString("code", ""), is("invalid_field"));
            }
            assertUsable(client);
        }
    }

    @ParameterizedTest(name = "{0} characters of {1} UTF-16 units each")
    @ValueSource(strings = {"x", "é", "😀"})
    void textOf4000CharactersIsStoredAnd4001IsRefused(String character) throws Exception {
        try (ChatClient client = connect(chat.port(), user)) {
            String longest = character.repeat(4_000);
            JsonObject stored = client.sendPrivate(peer.username(), longest).get(10, TimeUnit.SECONDS);
            assertThat(stored.getString("type"), is("sent"));
            String clientId = "too-long-" + UUID.randomUUID();
            JsonObject refused = client.send(clientId, "to", peer.username(), longest + character)
                    .get(10, TimeUnit.SECONDS);
            assertThat(refused.getString("code"), is("text_too_long"));
            assertThat(refused.getString("clientId"), is(clientId));
            // not stored: the same clientId with a valid text is a new message, not the refused one
            JsonObject retried = client.send(clientId, "to", peer.username(), "shorter").get(10, TimeUnit.SECONDS);
            assertThat(retried.getString("type"), is("sent"));
            assertThat(retried.getString("id"), not(is(stored.getString("id"))));
            assertThat(historyAnswer(client, 1).getJsonArray("messages").getJsonObject(0).getString("text"),
                       is("shorter"));
            assertUsable(client);
        }
    }

    @Test
    void aBurstOf40SendsIsAcceptedAndTheNextAreRateLimitedNotStored() throws Exception {
        AuthClient.Token sender = stack.newUser("burst");
        try (ChatClient client = connect(chat.port(), sender)) {
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                sends.add(client.sendPrivate(peer.username(), "burst " + i));
            }
            List<JsonObject> outcomes = sends.stream().map(CompletableFuture::join).toList();
            double seconds = (System.nanoTime() - started) / 1e9;
            long acked = outcomes.stream().filter(o -> "sent".equals(o.getString("type"))).count();
            long limited = outcomes.stream().filter(o -> "rate_limited".equals(o.getString("code", ""))).count();
            assertThat(acked + limited, is(60L));
            assertThat("the whole burst", acked, greaterThanOrEqualTo(40L));
            assertThat("the burst and what refilled meanwhile", (double) acked, lessThanOrEqualTo(41 + 20 * seconds));
            assertThat(limited, greaterThan(0L));
            Thread.sleep(1_100);
            assertThat("sends again after a pause", client.sendPrivate(peer.username(), "after").join()
                    .getString("type"), is("sent"));
        }
        // only the acknowledged ones were stored: the conversation holds acked + 1
        try (ChatClient reader = connect(chat.port(), sender)) {
            JsonObject page = reader.history("with", peer.username(), null, 100, WAIT);
            Set<String> texts = new HashSet<>();
            page.getJsonArray("messages").forEach(m -> texts.add(m.asJsonObject().getString("text")));
            assertThat(texts.size(), lessThanOrEqualTo(60));
            assertThat(texts.contains("after"), is(true));
        }
    }

    @Test
    void aFrameOf16KiBIsReadAndOneByteMoreIsRefused() {
        try (ChatClient client = connect(chat.port(), user)) {
            String head = "{\"type\":\"ping\",\"pad\":\"";
            String tail = "\"}";
            int padding = 16 * 1024 - head.length() - tail.length();
            String atLimit = head + "x".repeat(padding) + tail;
            assertThat(atLimit.getBytes(StandardCharsets.UTF_8).length, is(16 * 1024));
            client.sendRaw(atLimit);
            client.awaitFrame(f -> "pong".equals(f.getString("type")), WAIT);
            client.sendRaw(head + "x".repeat(padding + 1) + tail);
            client.awaitError("frame_too_large", WAIT);
            assertUsable(client);
        }
    }

    @Test
    void aHistoryPageLargerThanTheOutboxLimitGoesOutToAClientThatReads() throws Exception {
        AuthClient.Token writer = stack.newUser("long");
        try (ChatClient client = connect(chat.port(), writer)) {
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sends.add(client.sendPrivate(peer.username(), "L".repeat(3_990) + i));
            }
            sends.forEach(s -> assertThat(s.join().getString("type"), is("sent")));
            // 30 messages of 4,000 characters: 240 KB in the outbox, almost four times its limit
            for (int page = 0; page < 3; page++) {
                JsonObject answer = client.history("with", peer.username(), null, 30, WAIT);
                assertThat(Outbox.cost(answer.toString()), greaterThan((long) OUTBOX_LIMIT));
                assertThat(answer.getJsonArray("messages").size(), is(30));
            }
            assertUsable(client);
        }
    }
}
