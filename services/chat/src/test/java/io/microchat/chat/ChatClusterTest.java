package io.microchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.ServiceProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Three chat instances as separate processes, one Redis, one MongoDB-protocol store; clients on different
 * instances talk as if there were one server.
 */
class ChatClusterTest {

    private static ChatTestStack stack;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        List<ServiceProcess> chats = stack.readyChatProcesses(Map.of(), "chat-a", "chat-b", "chat-c");
        a = chats.get(0);
        b = chats.get(1);
        c = chats.get(2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void privateMessagesCrossInstancesBothWaysWithAcksAndReceipts() throws Exception {
        AuthClient.Token alice = stack.newUser("alice");
        AuthClient.Token bob = stack.newUser("bob");
        try (ChatClient onA = connect(a.port(), alice); ChatClient onB = connect(b.port(), bob)) {
            JsonObject sent = onA.sendPrivate(bob.username(), "hello from A").get(10, TimeUnit.SECONDS);
            assertThat(sent.getString("type"), is("sent"));
            String id = sent.getString("id");
            assertThat(onB.log().awaitCount(1, 10_000), is(true));
            JsonObject received = onB.log().messages().getFirst();
            assertThat(received.getString("id"), is(id));
            assertThat(received.getString("from"), is(alice.username()));
            assertThat(received.getString("text"), is("hello from A"));
            JsonObject receipt = onA.awaitFrame(f -> "delivered".equals(f.getString("type")), WAIT);
            assertThat(receipt.getString("id"), is(id));
            assertThat(receipt.getString("by"), is(bob.username()));

            JsonObject reply = onB.sendPrivate(alice.username(), "hi from B").get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> onA.log().contains(reply.getString("id")));
            assertThat("alice holds her own message and bob's reply", onA.log().messages(), hasSize(2));
        }
    }

    @Test
    void theSenderIsTheAuthenticatedUserWhateverTheFrameSays() throws Exception {
        AuthClient.Token mallory = stack.newUser("mallory");
        AuthClient.Token victim = stack.newUser("victim");
        try (ChatClient m = connect(a.port(), mallory); ChatClient v = connect(b.port(), victim)) {
            m.sendRaw("{\"type\":\"send\",\"clientId\":\"x1\",\"to\":\"" + victim.username()
                      + "\",\"from\":\"" + victim.username() + "\",\"text\":\"spoofed?\"}");
            assertThat(v.log().awaitCount(1, 10_000), is(true));
            assertThat(v.log().messages().getFirst().getString("from"), is(mallory.username()));
        }
    }

    @Test
    void usersOnTheSameInstanceNeedNoRedisRoundTrip() throws Exception {
        AuthClient.Token carol = stack.newUser("carol");
        AuthClient.Token dave = stack.newUser("dave");
        try (ChatClient c1 = connect(c.port(), carol); ChatClient c2 = connect(c.port(), dave)) {
            double before = metric(c, "chat_messages_delivered_total", "path=\"local\"");
            c1.sendPrivate(dave.username(), "same instance").get(10, TimeUnit.SECONDS);
            assertThat(c2.log().awaitCount(1, 10_000), is(true));
            await().atMost(Duration.ofSeconds(5)).until(() -> metric(c, "chat_messages_delivered_total",
                                                                      "path=\"local\"") > before);
        }
    }

    @Test
    void broadcastReachesEveryoneOnEveryInstance() throws Exception {
        AuthClient.Token x = stack.newUser("bx");
        AuthClient.Token y = stack.newUser("by");
        AuthClient.Token z = stack.newUser("bz");
        try (ChatClient onA = connect(a.port(), x); ChatClient onB = connect(b.port(), y);
             ChatClient onC = connect(c.port(), z)) {
            JsonObject sent = onA.sendBroadcast("hello everyone").get(10, TimeUnit.SECONDS);
            String id = sent.getString("id");
            for (ChatClient other : List.of(onB, onC)) {
                await().atMost(WAIT).until(() -> other.log().contains(id));
                JsonObject message = other.log().messages().stream().filter(m -> m.getString("id").equals(id))
                        .findFirst().orElseThrow();
                assertThat(message.getString("room"), is("all"));
                assertThat(message.getString("from"), is(x.username()));
            }
            assertThrows(IllegalStateException.class, () -> onA.awaitFrame(
                    f -> "message".equals(f.getString("type")) && id.equals(f.getString("id")), Duration.ofSeconds(1)),
                         "the sender gets an acknowledgement, not its own message back");
        }
    }

    @Test
    void presenceSnapshotAndEventsAcrossInstances() throws Exception {
        AuthClient.Token erin = stack.newUser("erin");
        AuthClient.Token frank = stack.newUser("frank");
        try (ChatClient onA = connect(a.port(), erin)) {
            ChatClient onB = connect(b.port(), frank);
            JsonObject welcome = onB.awaitWelcome(WAIT);
            assertThat("snapshot on connect", welcome.getJsonArray("online").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList(), hasItem(erin.username()));
            await().atMost(WAIT).until(() -> onA.online().contains(frank.username()));
            onB.close();
            await().atMost(WAIT).until(() -> !onA.online().contains(frank.username()));
        }
    }

    @Test
    void aUserWithTwoConnectionsStaysOnlineUntilTheLastClosesAndGetsMessagesOnBoth() throws Exception {
        AuthClient.Token gina = stack.newUser("gina");
        AuthClient.Token hank = stack.newUser("hank");
        try (ChatClient watcher = connect(b.port(), hank)) {
            ChatClient laptop = connect(a.port(), gina);
            ChatClient phone = connect(c.port(), gina);
            await().atMost(WAIT).until(() -> watcher.online().contains(gina.username()));

            JsonObject toGina = watcher.sendPrivate(gina.username(), "to both devices").get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> laptop.log().contains(toGina.getString("id"))
                                              && phone.log().contains(toGina.getString("id")));
            JsonObject fromLaptop = laptop.sendPrivate(hank.username(), "sent on the laptop").get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> phone.log().contains(fromLaptop.getString("id")));

            laptop.close();
            Thread.sleep(1_000);
            assertThat("still online through the phone", watcher.online(), hasItem(gina.username()));
            phone.close();
            await().atMost(WAIT).until(() -> !watcher.online().contains(gina.username()));
        }
    }

    @Test
    void aRecipientWithTwoDevicesProducesOneReceipt() throws Exception {
        AuthClient.Token quinn = stack.newUser("quinn");
        AuthClient.Token rosa = stack.newUser("rosa");
        try (ChatClient sender = connect(b.port(), quinn);
             ChatClient phone = connect(a.port(), rosa);
             ChatClient laptop = connect(a.port(), rosa)) {
            String id = sender.sendPrivate(rosa.username(), "one tick, two devices").get(10, TimeUnit.SECONDS)
                    .getString("id");
            await().atMost(WAIT).until(() -> phone.log().contains(id) && laptop.log().contains(id));
            sender.awaitFrame(f -> "delivered".equals(f.getString("type")) && id.equals(f.getString("id")), WAIT);
            assertThrows(IllegalStateException.class, () -> sender.awaitFrame(
                    f -> "delivered".equals(f.getString("type")) && id.equals(f.getString("id")), Duration.ofSeconds(1)));
        }
    }

    @Test
    void aReplayOfMoreThanOneReceiptFrameHoldsIsConfirmedInFullAndRecorded() throws Exception {
        AuthClient.Token sam = stack.newUser("sam");
        AuthClient.Token tess = stack.newUser("tess");
        int count = ChatClient.MAX_IDS_PER_RECEIPT + 20;
        List<String> ids = new ArrayList<>();
        Map<String, Long> deliveredAt = new HashMap<>();
        try (ChatClient sender = connect(b.port(), sam)) {
            for (int i = 0; i < count; i++) {
                // under the 20 a second limit
                ids.add(sender.sendPrivate(tess.username(), "backlog " + i).get(10, TimeUnit.SECONDS).getString("id"));
                Thread.sleep(55);
            }
            // tess comes online: the replay brings all of them at once, and her client confirms them in frames of
            // at most 100 ids (a longer one would be refused)
            try (ChatClient recipient = connect(a.port(), tess)) {
                await().atMost(WAIT).until(() -> ids.stream().allMatch(recipient.log()::contains));
                for (String id : ids) {
                    JsonObject receipt = sender.awaitFrame(
                            f -> "delivered".equals(f.getString("type")) && id.equals(f.getString("id")), WAIT);
                    deliveredAt.put(id, receipt.getJsonNumber("ts").longValue());
                }
                assertThrows(IllegalStateException.class, () -> recipient.awaitError("invalid_field",
                                                                                    Duration.ofMillis(200)));
            }
            // a receipt goes out once stored, with the time stored
            List<JsonObject> page = sender.history("with", tess.username(), null, 100, WAIT)
                    .getJsonArray("messages").getValuesAs(JsonObject.class);
            assertThat(page.size(), is(100));
            for (JsonObject message : page) {
                assertThat(message.getJsonNumber("deliveredAt").longValue(),
                           is(deliveredAt.get(message.getString("id"))));
            }
        }
    }

    @Test
    void historyComesNewestFirstAPageAtATime() throws Exception {
        AuthClient.Token ivy = stack.newUser("ivy");
        AuthClient.Token jack = stack.newUser("jack");
        try (ChatClient i = connect(a.port(), ivy); ChatClient j = connect(b.port(), jack)) {
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 7; n++) {
                ChatClient from = n % 2 == 0 ? i : j;
                String to = n % 2 == 0 ? jack.username() : ivy.username();
                ids.add(from.sendPrivate(to, "message " + n).get(10, TimeUnit.SECONDS).getString("id"));
            }
            JsonObject first = j.history("with", ivy.username(), null, 3, WAIT);
            assertThat(texts(first), contains("message 6", "message 5", "message 4"));
            JsonObject second = j.history("with", ivy.username(), first.getString("next"), 3, WAIT);
            assertThat(texts(second), contains("message 3", "message 2", "message 1"));
            JsonObject third = j.history("with", ivy.username(), second.getString("next"), 3, WAIT);
            assertThat(texts(third), contains("message 0"));
            assertThat(third.isNull("next"), is(true));
            assertThat("both sides see the same conversation", texts(i.history("with", jack.username(), null, 10, WAIT)),
                       hasSize(7));
            JsonObject room = i.history("room", "all", null, 5, WAIT);
            assertThat(room.getString("type"), is("history"));
        }
    }

    @Test
    void aMessageToAnOfflineUserArrivesWhenTheyConnect() throws Exception {
        AuthClient.Token kim = stack.newUser("kim");
        AuthClient.Token leo = stack.newUser("leo");
        try (ChatClient k = connect(a.port(), kim)) {
            String id = k.sendPrivate(leo.username(), "while you were out").get(10, TimeUnit.SECONDS).getString("id");
            try (ChatClient l = connect(c.port(), leo)) {
                assertThat(l.log().contains(id), is(true));
                JsonObject receipt = k.awaitFrame(f -> "delivered".equals(f.getString("type")), WAIT);
                assertThat(receipt.getString("id"), is(id));
            }
            try (ChatClient again = connect(b.port(), leo)) {
                assertThat("confirmed messages are not pushed again", again.log().contains(id), is(false));
            }
        }
    }

    @Test
    void aRetriedSendIsStoredOnce() throws Exception {
        AuthClient.Token max = stack.newUser("max");
        AuthClient.Token nia = stack.newUser("nia");
        try (ChatClient m = connect(a.port(), max); ChatClient n = connect(b.port(), nia)) {
            JsonObject first = m.send("retry-1", "to", nia.username(), "once only").get(10, TimeUnit.SECONDS);
            JsonObject retry = m.send("retry-1", "to", nia.username(), "once only").get(10, TimeUnit.SECONDS);
            assertThat(retry.getString("id"), is(first.getString("id")));
            JsonObject other = m.sendPrivate(nia.username(), "next").get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> n.log().contains(other.getString("id")));
            assertThat(n.log().messages(), hasSize(2));
            assertThat(n.log().duplicatesDropped(), is(0));
        }
    }

    @Test
    void everyInstanceHasItsOwnId() throws Exception {
        AuthClient.Token olga = stack.newUser("olga");
        Set<String> ids = new java.util.HashSet<>();
        for (ServiceProcess p : List.of(a, b, c)) {
            try (ChatClient client = connect(p.port(), olga)) {
                ids.add(client.awaitWelcome(WAIT).getString("instance"));
            }
        }
        assertThat(ids, is(Set.of("chat-a", "chat-b", "chat-c")));
        assertThat(ids, not(hasItem((String) null)));
        assertThat(olga, notNullValue());
    }

    private static List<String> texts(JsonObject history) {
        return history.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList();
    }

    static double metric(ServiceProcess instance, String name, String label) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + instance.port() + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
