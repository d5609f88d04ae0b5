package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Read markers and receipts, unread counts, typing, settings and last seen (docs/protocol.md, "Read markers" to
 * "Last seen") across three chat instances as separate processes.
 */
class ReadReceiptsClusterTest {

    private static final Duration QUIET = Duration.ofMillis(700);

    private static ChatTestStack stack;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        List<ServiceProcess> chats = stack.readyChatProcesses(Map.of(), "read-a", "read-b", "read-c");
        a = chats.get(0);
        b = chats.get(1);
        c = chats.get(2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void twoDevicesOfOneUserKeepMarkersAndUnreadCountsInStep() throws Exception {
        AuthClient.Token alice = stack.newUser("ralice");
        AuthClient.Token bob = stack.newUser("rbob");
        MessageLog phoneLog = new MessageLog();
        String three;
        try (ChatClient phone = connect(a.port(), alice, phoneLog); ChatClient laptop = connect(b.port(), alice);
             ChatClient bobs = connect(c.port(), bob)) {
            String one = sent(bobs.sendPrivate(alice.username(), "one"));
            String two = sent(bobs.sendPrivate(alice.username(), "two"));
            three = sent(bobs.sendPrivate(alice.username(), "three"));
            for (ChatClient device : List.of(phone, laptop)) {
                assertThat(device.log().awaitCount(3, 10_000), is(true));
            }
            assertThat(entry(laptop, bob.username()).getInt("unread"), is(3));
            assertThat(entry(laptop, bob.username()).containsKey("readUpTo"), is(false));

            phone.read("with", bob.username(), two);
            for (ChatClient device : List.of(phone, laptop)) {
                JsonObject marker = device.awaitFrame(type("marker"), WAIT);
                assertThat(marker.getString("with"), is(bob.username()));
                assertThat(marker.getString("upTo"), is(two));
                assertThat("the badge on every device", marker.getInt("unread"), is(1));
            }
            JsonObject onLaptop = entry(laptop, bob.username());
            assertThat(onLaptop.getInt("unread"), is(1));
            assertThat(onLaptop.getString("readUpTo"), is(two));

            laptop.read("with", bob.username(), one);
            laptop.read("with", bob.username(), three);
            JsonObject next = laptop.awaitFrame(type("marker"), WAIT);
            assertThat("a marker never moves back: the older one changed nothing", next.getString("upTo"),
                       is(three));
            assertThat(next.getInt("unread"), is(0));
            assertThat(phone.awaitFrame(type("marker"), WAIT).getString("upTo"), is(three));
        }
        try (ChatClient resumed = connect(c.port(), alice, phoneLog); ChatClient fresh = connect(c.port(), alice)) {
            for (ChatClient device : List.of(resumed, fresh)) {
                JsonObject entry = entry(device, bob.username());
                assertThat("reconnected (and fresh) on a third instance", entry.getInt("unread"), is(0));
                assertThat(entry.getString("readUpTo"), is(three));
                assertThat(entry.getJsonObject("last").getString("text"), is("three"));
            }
        }
    }

    @Test
    void theRoomHasMarkersOnEveryDeviceAndNoReceipts() throws Exception {
        AuthClient.Token alice = stack.newUser("oalice");
        AuthClient.Token bob = stack.newUser("obob");
        try (ChatClient phone = connect(a.port(), alice); ChatClient laptop = connect(b.port(), alice);
             ChatClient bobs = connect(c.port(), bob)) {
            String hello = sent(bobs.sendBroadcast("hello room"));
            holds(phone, hello);
            phone.read("room", "all", hello);
            for (ChatClient device : List.of(phone, laptop)) {
                JsonObject marker = device.awaitFrame(type("marker"), WAIT);
                assertThat(marker.getString("room"), is("all"));
                assertThat(marker.getString("upTo"), is(hello));
            }
            assertNoFrame(bobs, phone, bob, type("read"));
        }
    }

    @Test
    void readReceiptsReachTheSenderOnAnotherInstanceUnlessTurnedOffOnEitherSide() throws Exception {
        AuthClient.Token alice = stack.newUser("salice");
        AuthClient.Token bob = stack.newUser("sbob");
        try (ChatClient alices = connect(a.port(), alice); ChatClient bobs = connect(b.port(), bob)) {
            String first = sent(alices.sendPrivate(bob.username(), "first"));
            holds(bobs, first);
            bobs.read("with", alice.username(), first);
            bobs.awaitFrame(type("marker"), WAIT);
            JsonObject receipt = alices.awaitFrame(type("read"), WAIT);
            assertThat(receipt.getString("by"), is(bob.username()));
            assertThat("a private conversation is named as its receiver sees it", receipt.getString("with"),
                       is(bob.username()));
            assertThat(receipt.getString("upTo"), is(first));
            assertThat(receipt.getJsonNumber("ts"), is(notNullValue()));
            assertThat(history(alices, bob.username()).getJsonObject("markers").getString(bob.username()),
                       is(first));
            assertThat(entry(alices, bob.username()).getJsonObject("markers").getString(bob.username()), is(first));

            bobs.settings(false, null);
            JsonObject settings = bobs.awaitFrame(type("settings"), WAIT);
            assertThat(settings.getBoolean("readReceipts"), is(false));
            assertThat(settings.getBoolean("showLastSeen"), is(true));
            String second = sent(alices.sendPrivate(bob.username(), "second"));
            holds(bobs, second);
            bobs.read("with", alice.username(), second);
            assertThat("the reader's own devices still sync", bobs.awaitFrame(type("marker"), WAIT)
                    .getString("upTo"), is(second));
            assertNoFrame(alices, bobs, alice, type("read"));
            assertThat("no markers of a user who gives none", history(alices, bob.username()).containsKey("markers"),
                       is(false));
            assertThat(entry(alices, bob.username()).containsKey("markers"), is(false));

            bobs.settings(true, null);
            bobs.awaitFrame(type("settings"), WAIT);
            alices.settings(false, null);
            alices.awaitFrame(type("settings"), WAIT);
            String third = sent(alices.sendPrivate(bob.username(), "third"));
            holds(bobs, third);
            bobs.read("with", alice.username(), third);
            bobs.awaitFrame(type("marker"), WAIT);
            assertNoFrame(alices, bobs, alice, type("read"));
            assertThat("a user who gives none sees none", history(alices, bob.username()).containsKey("markers"),
                       is(false));
            assertThat(entry(alices, bob.username()).containsKey("markers"), is(false));
        }
        try (ChatClient again = connect(c.port(), alice)) {
            assertThat("welcome carries the settings",
                       again.awaitWelcome(WAIT).getJsonObject("settings").getBoolean("readReceipts"), is(false));
        }
    }

    @Test
    void typingIsRoutedAcrossInstancesToTheOthersAndThrottled() throws Exception {
        AuthClient.Token alice = stack.newUser("talice");
        AuthClient.Token bob = stack.newUser("tbob");
        try (ChatClient alices = connect(a.port(), alice); ChatClient alicesOther = connect(c.port(), alice);
             ChatClient bobs = connect(b.port(), bob); ChatClient bobsOther = connect(c.port(), bob)) {
            long firstTyped = System.currentTimeMillis();
            alices.typing("with", bob.username());
            for (ChatClient device : List.of(bobs, bobsOther)) {
                JsonObject typing = device.awaitFrame(type("typing"), WAIT);
                assertThat(typing.getString("from"), is(alice.username()));
                assertThat(typing.getString("with"), is(alice.username()));
            }
            alices.typing("with", bob.username());
            alices.typing("with", bob.username());
            assertNoFrame(bobs, alices, bob, type("typing"));
            assertThrows(IllegalStateException.class, () -> alicesOther.awaitFrame(type("typing"), QUIET),
                         "the typer's own devices do not get it");
            Thread.sleep(Math.max(0, firstTyped + Typing.THROTTLE_MILLIS + 200 - System.currentTimeMillis()));
            alices.typing("with", bob.username());
            assertThat("after 3 s it is relayed again", bobs.awaitFrame(type("typing"), WAIT).getString("from"),
                       is(alice.username()));

            alices.sendRaw("{\"type\":\"typing\",\"room\":\"all\"}");
            assertThat(alices.awaitError("invalid_field", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"typing\",\"with\":\"nobody-" + alice.username() + "\"}");
            assertThat(alices.awaitError("unknown_user", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"typing\",\"group\":\"g-0123456789abcdef01234567\"}");
            assertThat(alices.awaitError("unknown_group", WAIT), is(notNullValue()));
        }
    }

    @Test
    void lastSeenIsSetWhenTheLastDeviceLeavesAndHiddenBySetting() throws Exception {
        AuthClient.Token carol = stack.newUser("lcarol");
        AuthClient.Token dave = stack.newUser("ldave");
        try (ChatClient daves = connect(c.port(), dave)) {
            ChatClient first = connect(a.port(), carol);
            ChatClient second = connect(b.port(), carol);
            sent(first.sendPrivate(dave.username(), "hello dave"));
            await().atMost(WAIT).until(() -> daves.online().contains(carol.username()));
            first.close();
            long before = System.currentTimeMillis();
            second.close();
            JsonObject offline = daves.awaitFrame(f -> type("presence").test(f)
                    && f.getJsonArray("offline").getValuesAs(jakarta.json.JsonString.class).stream()
                            .anyMatch(s -> s.getString().equals(carol.username())), WAIT);
            long lastSeen = offline.getJsonObject("lastSeen").getJsonNumber(carol.username()).longValue();
            assertThat("once the last device left", lastSeen >= before - 1_000, is(true));
            assertThat("the latest of the instances' records", entry(daves, carol.username()).getJsonNumber("lastSeen")
                    .longValue() >= lastSeen, is(true));

            ChatClient hiding = connect(b.port(), carol);
            hiding.settings(null, false);
            hiding.awaitFrame(type("settings"), WAIT);
            await().atMost(WAIT).until(() -> daves.online().contains(carol.username()));
            assertThat("online: no last seen", entry(daves, carol.username()).containsKey("lastSeen"), is(false));
            hiding.close();
            JsonObject hidden = daves.awaitFrame(f -> type("presence").test(f)
                    && f.getJsonArray("offline").getValuesAs(jakarta.json.JsonString.class).stream()
                            .anyMatch(s -> s.getString().equals(carol.username())), WAIT);
            assertThat(hidden.containsKey("lastSeen"), is(false));
            assertThat(entry(daves, carol.username()).containsKey("lastSeen"), is(false));
        }
    }

    @Test
    void badReadsAreAnsweredWithTheirErrorAndChangeNothing() throws Exception {
        AuthClient.Token alice = stack.newUser("balice");
        AuthClient.Token bob = stack.newUser("bbob");
        AuthClient.Token carol = stack.newUser("bcarol");
        try (ChatClient alices = connect(a.port(), alice); ChatClient bobs = connect(b.port(), bob);
             ChatClient carols = connect(c.port(), carol)) {
            String toAlice = sent(bobs.sendPrivate(alice.username(), "for alice"));
            String notHers = sent(bobs.sendPrivate(carol.username(), "for carol only"));
            holds(alices, toAlice);

            alices.read("with", bob.username(), notHers);
            assertThat("a message she never received", alices.awaitError("unknown_message", WAIT),
                       is(notNullValue()));
            alices.read("with", carol.username(), toAlice);
            assertThat("a message of another conversation", alices.awaitError("unknown_message", WAIT),
                       is(notNullValue()));
            alices.read("room", "all", toAlice);
            assertThat(alices.awaitError("unknown_message", WAIT), is(notNullValue()));
            alices.read("with", "nobody-" + alice.username(), toAlice);
            assertThat(alices.awaitError("unknown_user", WAIT), is(notNullValue()));
            alices.read("group", "g-0123456789abcdef01234567", toAlice);
            assertThat(alices.awaitError("unknown_group", WAIT), is(notNullValue()));
            alices.read("with", bob.username(), "not-an-id");
            assertThat(alices.awaitError("invalid_field", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"read\",\"with\":\"" + bob.username() + "\"}");
            assertThat(alices.awaitError("missing_field", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"read\",\"with\":\"" + bob.username() + "\",\"room\":\"all\",\"upTo\":\""
                           + toAlice + "\"}");
            assertThat(alices.awaitError("invalid_field", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"settings\"}");
            assertThat(alices.awaitError("missing_field", WAIT), is(notNullValue()));
            alices.sendRaw("{\"type\":\"settings\",\"readReceipts\":\"no\"}");
            assertThat(alices.awaitError("invalid_field", WAIT), is(notNullValue()));

            assertNoFrame(bobs, alices, bob, type("read"));
            assertThrows(IllegalStateException.class, () -> carols.awaitFrame(type("read"), QUIET));
            JsonObject unchanged = entry(alices, bob.username());
            assertThat("nothing changed", unchanged.containsKey("readUpTo"), is(false));
            assertThat(unchanged.getInt("unread"), is(1));

            alices.read("with", bob.username(), toAlice);
            assertThat("the connection is usable", alices.awaitFrame(type("marker"), WAIT).getInt("unread"), is(0));
            assertThat(bobs.awaitFrame(type("read"), WAIT).getString("with"), is(alice.username()));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Predicate<JsonObject> type(String type) {
        return f -> type.equals(f.getString("type", ""));
    }

    private static String sent(java.util.concurrent.CompletableFuture<JsonObject> send) throws Exception {
        JsonObject answer = send.get(10, TimeUnit.SECONDS);
        assertThat(answer.toString(), answer.getString("type"), is("sent"));
        return answer.getString("id");
    }

    private static void holds(ChatClient client, String id) {
        await().atMost(WAIT).until(() -> client.log().contains(id));
    }

    /** The entry of {@code conversations} with a user. */
    private static JsonObject entry(ChatClient client, String with) {
        JsonObject answer = client.conversations(WAIT);
        return answer.getJsonArray("conversations").getValuesAs(JsonObject.class).stream()
                .filter(e -> with.equals(e.getString("with", null))).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation with " + with + " in " + answer));
    }

    private static JsonObject history(ChatClient client, String with) {
        return client.history("with", with, null, 10, WAIT);
    }

    /**
     * Asserts that {@code watcher} got no such frame: {@code from} sends {@code watcherUser} a message after
     * whatever it did, which travels the same way (the same publisher, the same channel), so once it arrived an
     * earlier frame would have too; then a short quiet time.
     */
    private static void assertNoFrame(ChatClient watcher, ChatClient from, AuthClient.Token watcherUser,
                                      Predicate<JsonObject> unwanted) throws Exception {
        String barrier = sent(from.sendPrivate(watcherUser.username(), "barrier"));
        watcher.awaitFrame(f -> type("message").test(f) && barrier.equals(f.getString("id")), WAIT);
        assertThrows(IllegalStateException.class, () -> watcher.awaitFrame(unwanted, QUIET));
    }
}
