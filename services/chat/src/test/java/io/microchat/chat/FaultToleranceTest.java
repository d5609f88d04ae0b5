package io.microchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.ServiceProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Faults lose no data: an instance killed hard or drained, Redis or MongoDB stopped and started again.
 */
class FaultToleranceTest {

    /** Fast senders for these tests; the per-user limit has its own test. */
    private static final Map<String, String> NO_RATE_LIMIT = Map.of("APP_LIMITS_MESSAGES_PER_SECOND", "10000",
                                                                    "APP_LIMITS_BURST", "10000");
    /**
     * Fast senders on an instance that pushes back as a loaded one does: a send is refused ({@code overloaded}) while
     * the oldest send waiting to be stored has waited a millisecond, and the client sends it again later.
     */
    private static final Map<String, String> PUSHING_BACK = Map.of("APP_LIMITS_MESSAGES_PER_SECOND", "10000",
                                                                   "APP_LIMITS_BURST", "10000",
                                                                   "APP_LIMITS_SEND_QUEUE_MAX_AGE", "PT0.001S");
    private ChatTestStack stack;

    @BeforeEach
    void start() {
        stack = ChatTestStack.start();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void anInstanceKilledHardLosesNoAcknowledgedMessageAndItsUsersGoOffline() throws Exception {
        ServiceProcess a = stack.chatProcess("kill-a", NO_RATE_LIMIT);
        ServiceProcess b = stack.chatProcess("kill-b", NO_RATE_LIMIT);
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        AuthClient.Token sender = stack.newUser("ksender");
        AuthClient.Token recipient = stack.newUser("krecipient");
        AuthClient.Token observer = stack.newUser("kobserver");
        MessageLog recipientLog = new MessageLog();
        try (ChatClient s = connect(a.port(), sender); ChatClient o = connect(a.port(), observer)) {
            ChatClient r = connect(b.port(), recipient, recipientLog);
            await().atMost(WAIT).until(() -> o.online().contains(recipient.username()));

            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                sends.add(s.sendPrivate(recipient.username(), "flowing " + i));
                if (i == 150) {
                    b.kill();
                }
                Thread.sleep(3);
            }
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> !o.online().contains(recipient.username()));
            long offlineAfter = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
            assertThat("users of a dead instance go offline within 15 s", offlineAfter, lessThanOrEqualTo(15L));
            r.abort();

            List<String> acknowledged = acknowledgedIds(sends);
            assertThat(acknowledged.size(), is(300));
            try (ChatClient again = connect(a.port(), recipient, recipientLog)) {
                await().atMost(WAIT).until(() -> acknowledged.stream().allMatch(recipientLog::contains));
                assertExactlyOnceInOrder(recipientLog, acknowledged, s);
                assertThat(again.log(), is(recipientLog));
            }
        }
    }

    @Test
    void aDrainedInstanceMovesItsClientsAndLosesNothing() throws Exception {
        // the sender's instance refuses sends around the drain, and the sender retries them (new, later ids)
        ServiceProcess a = stack.chatProcess("drain-a", PUSHING_BACK);
        ServiceProcess b = stack.chatProcess("drain-b", NO_RATE_LIMIT);
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        AuthClient.Token sender = stack.newUser("dsender");
        AuthClient.Token recipient = stack.newUser("drecipient");
        AuthClient.Token onDrained = stack.newUser("dondrained");
        AuthClient.Token target = stack.newUser("dtarget");
        MessageLog recipientLog = new MessageLog();
        MessageLog targetLog = new MessageLog();
        try (ChatClient s = connect(a.port(), sender); ChatClient t = connect(a.port(), target, targetLog)) {
            ChatClient r = connect(b.port(), recipient, recipientLog);
            ChatClient d = connect(b.port(), onDrained);

            List<CompletableFuture<JsonObject>> toRecipient = new ArrayList<>();
            Map<String, CompletableFuture<JsonObject>> fromDrained = new LinkedHashMap<>();
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            for (int i = 0; i < 200; i++) {
                toRecipient.add(s.sendPrivate(recipient.username(), "to a moving client " + i));
                if (!d.closed().isDone()) {
                    String clientId = "drain-" + i;
                    fromDrained.put(clientId, d.send(clientId, "to", target.username(), "from a draining instance " + i));
                }
                if (i == 100) {
                    long start = System.nanoTime();
                    Thread.startVirtualThread(() -> {
                        b.stop();
                        exit.complete((int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
                    });
                }
                Thread.sleep(3);
            }
            assertThat("SIGTERM to exit", exit.get(40, TimeUnit.SECONDS), lessThan(30));
            r.awaitFrame(f -> "reconnect".equals(f.getString("type")), WAIT);
            assertThat(r.closed().get(10, TimeUnit.SECONDS).code(), is(1001));
            assertThat(d.closed().get(10, TimeUnit.SECONDS).code(), is(1001));

            // clients reconnect to the instance that is left and resend what was not acknowledged, same client ids
            try (ChatClient r2 = connect(a.port(), recipient, recipientLog); ChatClient d2 = connect(a.port(), onDrained)) {
                List<String> acknowledged = acknowledgedIds(toRecipient);
                await().atMost(WAIT).until(() -> acknowledged.stream().allMatch(recipientLog::contains));
                assertExactlyOnceInOrder(recipientLog, acknowledged, s);

                List<String> delivered = new ArrayList<>();
                for (var entry : fromDrained.entrySet()) {
                    JsonObject outcome = outcome(entry.getValue());
                    if (outcome == null || !"sent".equals(outcome.getString("type"))) {
                        int n = Integer.parseInt(entry.getKey().substring("drain-".length()));
                        outcome = d2.send(entry.getKey(), "to", target.username(), "from a draining instance " + n)
                                .get(10, TimeUnit.SECONDS);
                    }
                    assertThat(outcome.toString(), outcome.getString("type"), is("sent"));
                    delivered.add(outcome.getString("id"));
                }
                await().atMost(WAIT).until(() -> delivered.stream().allMatch(targetLog::contains));
                assertThat("each resend resolved to the one stored message", targetLog.messages().size(),
                           is(delivered.size()));
                assertThat(r2.log(), is(recipientLog));
            }
        }
    }

    @Test
    void redisStoppedAndStartedAgain() throws Exception {
        ChatServer x = stack.chatInProcess("redis-x", Map.of());
        ChatServer y = stack.chatInProcess("redis-y", Map.of());
        AuthClient.Token sender = stack.newUser("rsender");
        AuthClient.Token recipient = stack.newUser("rrecipient");
        try (ChatClient s = connect(x.port(), sender); ChatClient r = connect(y.port(), recipient)) {
            stack.redis.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(x.port()) == 503);

            List<String> stored = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonObject ack = s.sendPrivate(recipient.username(), "while Redis is down " + i)
                        .get(10, TimeUnit.SECONDS);
                assertThat("stored and acknowledged without Redis", ack.getString("type"), is("sent"));
                stored.add(ack.getString("id"));
            }

            stack.redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> ready(x.port()) == 200 && ready(y.port()) == 200);
            await().atMost(Duration.ofSeconds(15)).until(() -> stored.stream().allMatch(r.log()::contains));

            String after = s.sendPrivate(recipient.username(), "Redis is back").get(10, TimeUnit.SECONDS).getString("id");
            await().atMost(WAIT).until(() -> r.log().contains(after));
            assertExactlyOnceInOrder(r.log(), append(stored, after), s);
        }
    }

    @Test
    void mongoDbStoppedAndStartedAgain() throws Exception {
        ChatServer x = stack.chatInProcess("mongo-x", Map.of());
        AuthClient.Token sender = stack.newUser("msender");
        AuthClient.Token recipient = stack.newUser("mrecipient");
        try (ChatClient s = connect(x.port(), sender); ChatClient r = connect(x.port(), recipient)) {
            stack.mongo.stop();
            JsonObject refused = s.send("while-down", "to", recipient.username(), "not stored yet")
                    .get(20, TimeUnit.SECONDS);
            assertThat("refused, not acknowledged", refused.getString("type"), is("error"));
            assertThat(refused.getString("code"), is("store_unavailable"));
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(x.port()) == 503);
            assertThat(r.log().messages(), empty());

            stack.mongo.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> ready(x.port()) == 200);
            JsonObject retried = s.send("while-down", "to", recipient.username(), "not stored yet")
                    .get(10, TimeUnit.SECONDS);
            assertThat(retried.getString("type"), is("sent"));
            await().atMost(WAIT).until(() -> r.log().contains(retried.getString("id")));
            assertThat(r.log().messages().size(), is(1));
        }
    }

    private static List<String> acknowledgedIds(List<CompletableFuture<JsonObject>> sends) {
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<JsonObject> send : sends) {
            JsonObject outcome = outcome(send);
            if (outcome != null && "sent".equals(outcome.getString("type"))) {
                ids.add(outcome.getString("id"));
            }
        }
        return ids;
    }

    private static JsonObject outcome(CompletableFuture<JsonObject> send) {
        try {
            return send.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every acknowledged id is held once, in the order of the ids: the order in which the server accepted the sends
     * (docs/protocol.md, "Order"). A send refused as overloaded and sent again was accepted after the sends taken
     * meanwhile, so only when the sender was never refused is that the order the sends were written in.
     *
     * @param log          what the recipient holds
     * @param acknowledged the ids of the acknowledged sends, in the order they were written
     * @param sender       the connection that sent them
     */
    private static void assertExactlyOnceInOrder(MessageLog log, List<String> acknowledged, ChatClient sender) {
        List<String> held = log.messages().stream().map(m -> m.getString("id")).toList();
        List<String> accepted = acknowledged.stream().sorted().toList();
        assertThat("acknowledged messages held, in the order of their ids",
                   held.stream().filter(acknowledged::contains).toList(), is(accepted));
        assertThat(held.size(), is(held.stream().distinct().toList().size()));
        if (sender.overloadedRetries() == 0) {
            assertThat("nothing refused: accepted in the order written", accepted, is(acknowledged));
        }
    }

    private static List<String> append(List<String> list, String item) {
        List<String> result = new ArrayList<>(list);
        result.add(item);
        return result;
    }

    private static int ready(int port) throws Exception {
        return ChatTestStack.readiness(port);
    }
}
