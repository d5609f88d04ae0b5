package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.FrameType;
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
 * The features of issue 18 together in groups, across three chat instances (real Redis, a MongoDB-protocol store,
 * the auth service): read markers and receipts ("read by N of M"), unread counts on two devices of one member,
 * {@code group_info}'s markers and last seen, typing, edits and deletes live and in the replay after a reconnect,
 * and what a removed member no longer gets or may do (docs/protocol.md, "Groups" to "Last seen").
 */
class GroupReadsClusterTest {

    /** No overlap: a replay carries nothing before the resume point, so only a replayed change can update it. */
    private static final Map<String, String> NO_OVERLAP = Map.of("app.replay.overlap", "PT0S");
    private static final Duration QUIET = Duration.ofMillis(700);

    private static ChatTestStack stack;
    private static ChatServer a;
    private static ChatServer b;
    private static ChatServer c;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        a = stack.chatInProcess("greads-a", NO_OVERLAP);
        b = stack.chatInProcess("greads-b", NO_OVERLAP);
        c = stack.chatInProcess("greads-c", NO_OVERLAP);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void readMarkersInAGroupReachTheOtherMembersAndTheReadersDevicesUnlessReceiptsAreOff() throws Exception {
        AuthClient.Token alice = stack.newUser("gralice");
        AuthClient.Token bob = stack.newUser("grbob");
        AuthClient.Token carol = stack.newUser("grcarol");
        String group;
        String fromBob;
        try (ChatClient phone = connect(a.port(), alice); ChatClient laptop = connect(b.port(), alice);
             ChatClient bobs = connect(b.port(), bob); ChatClient carols = connect(c.port(), carol)) {
            group = phone.createGroup("Reading club", List.of(bob.username(), carol.username()), WAIT)
                    .getString("group");
            String fromAlice = sent(phone.sendToGroup(group, "chapter one"));
            fromBob = sent(bobs.sendToGroup(group, "read it"));
            String fromCarol = sent(carols.sendToGroup(group, "me too"));
            for (ChatClient client : List.of(phone, laptop, bobs, carols)) {
                await().atMost(WAIT).until(() -> client.log().contains(fromAlice) && client.log().contains(fromBob)
                                                 && client.log().contains(fromCarol));
            }
            for (ChatClient device : List.of(phone, laptop)) {
                JsonObject entry = groupEntry(device, group);
                assertThat("two of others' messages; events and her own do not count", entry.getInt("unread"), is(2));
                assertThat(entry.getString("name"), is("Reading club"));
                assertThat(entry.containsKey("readUpTo"), is(false));
            }

            phone.read("group", group, fromBob);
            for (ChatClient device : List.of(phone, laptop)) {
                JsonObject marker = device.awaitFrame(type("marker"), WAIT);
                assertThat(marker.getString("group"), is(group));
                assertThat(marker.getString("upTo"), is(fromBob));
                assertThat("the badge on every device", marker.getInt("unread"), is(1));
            }
            for (ChatClient device : List.of(phone, laptop)) {
                JsonObject entry = groupEntry(device, group);
                assertThat("both devices agree", entry.getInt("unread"), is(1));
                assertThat(entry.getString("readUpTo"), is(fromBob));
            }
            for (ChatClient other : List.of(bobs, carols)) {
                JsonObject receipt = other.awaitFrame(type("read"), WAIT);
                assertThat(receipt.getString("by"), is(alice.username()));
                assertThat(receipt.getString("group"), is(group));
                assertThat(receipt.getString("upTo"), is(fromBob));
            }
            assertThrows(IllegalStateException.class, () -> phone.awaitFrame(type("read"), QUIET),
                         "the reader gets no receipt of her own read");

            bobs.read("group", group, fromCarol);
            bobs.awaitFrame(type("marker"), WAIT);
            for (ChatClient device : List.of(phone, laptop, carols)) {
                JsonObject receipt = device.awaitFrame(type("read"), WAIT);
                assertThat(receipt.getString("by"), is(bob.username()));
                assertThat(receipt.getString("upTo"), is(fromCarol));
            }
            JsonObject info = phone.groupInfo(group, WAIT);
            assertThat("read by bob", member(info, bob.username()).getString("readUpTo"), is(fromCarol));
            assertThat(member(info, carol.username()).containsKey("readUpTo"), is(false));
            assertThat("online members have no last seen", member(info, bob.username()).containsKey("lastSeen"),
                       is(false));
            assertThat(phone.history("group", group, null, 10, WAIT).getJsonObject("markers")
                               .getString(bob.username()), is(fromCarol));

            carols.settings(false, null);
            carols.awaitFrame(type("settings"), WAIT);
            carols.read("group", group, fromCarol);
            assertThat("her own devices still sync", carols.awaitFrame(type("marker"), WAIT).getString("upTo"),
                       is(fromCarol));
            assertNoFrame(phone, carols, group, type("read"));
            assertThat("a member who gives none is absent", member(phone.groupInfo(group, WAIT), carol.username())
                    .containsKey("readUpTo"), is(false));
            assertThat(carols.groupInfo(group, WAIT).getJsonArray("members").getValuesAs(JsonObject.class).stream()
                               .noneMatch(m -> m.containsKey("readUpTo")), is(true));
            String later = sent(phone.sendToGroup(group, "chapter two"));
            await().atMost(WAIT).until(() -> bobs.log().contains(later) && carols.log().contains(later));
            bobs.read("group", group, later);
            bobs.awaitFrame(type("marker"), WAIT);
            assertThat("receipts off: she gets none either",
                       carols.history("group", group, null, 10, WAIT).containsKey("markers"), is(false));
            assertNoFrame(carols, phone, group, f -> type("read").test(f) && bob.username().equals(f.getString("by")));
            assertThat("alice still gets bob's", phone.awaitFrame(f -> type("read").test(f)
                    && later.equals(f.getString("upTo")), WAIT).getString("by"), is(bob.username()));

            bobs.settings(null, false);
            bobs.awaitFrame(type("settings"), WAIT);
        }
        try (ChatClient resumed = connect(c.port(), alice); ChatClient fresh = connect(a.port(), alice)) {
            for (ChatClient device : List.of(resumed, fresh)) {
                JsonObject entry = groupEntry(device, group);
                assertThat("reconnected on another instance: the same count", entry.getInt("unread"), is(2));
                assertThat(entry.getString("readUpTo"), is(fromBob));
            }
            await().atMost(WAIT).until(() -> member(fresh.groupInfo(group, WAIT), carol.username())
                    .containsKey("lastSeen"));
            JsonObject info = fresh.groupInfo(group, WAIT);
            assertThat("an offline member who hides it has none", member(info, bob.username())
                    .containsKey("lastSeen"), is(false));
            assertThat(member(info, alice.username()).containsKey("lastSeen"), is(false));

            fresh.settings(false, null);
            fresh.awaitFrame(type("settings"), WAIT);
            assertThat("receipts off: no markers of anyone", fresh.groupInfo(group, WAIT).getJsonArray("members")
                    .getValuesAs(JsonObject.class).stream().noneMatch(m -> m.containsKey("readUpTo")), is(true));
        }
    }

    @Test
    void typingAndReceiptsInAGroupReachTheOtherMembersElsewhereAndNotARemovedOne() throws Exception {
        AuthClient.Token alice = stack.newUser("gtalice");
        AuthClient.Token bob = stack.newUser("gtbob");
        AuthClient.Token carol = stack.newUser("gtcarol");
        AuthClient.Token dave = stack.newUser("gtdave");
        try (ChatClient alices = connect(a.port(), alice); ChatClient alicesOther = connect(c.port(), alice);
             ChatClient bobs = connect(b.port(), bob); ChatClient carols = connect(c.port(), carol);
             ChatClient daves = connect(a.port(), dave)) {
            String group = alices.createGroup("Typists", List.of(bob.username(), carol.username(), dave.username()),
                                              WAIT).getString("group");
            alices.typing("group", group);
            for (ChatClient other : List.of(bobs, carols, daves)) {
                JsonObject typing = other.awaitFrame(type("typing"), WAIT);
                assertThat(typing.getString("from"), is(alice.username()));
                assertThat(typing.getString("group"), is(group));
            }
            assertThrows(IllegalStateException.class, () -> alicesOther.awaitFrame(type("typing"), QUIET),
                         "the typer's own devices do not get it");

            alices.changeGroup(FrameType.GROUP_REMOVE, group, List.of(dave.username()), WAIT);
            await().atMost(WAIT).until(() -> daves.log().messages().stream()
                    .anyMatch(m -> "removed".equals(m.getString("event", null))));
            bobs.typing("group", group);
            for (ChatClient other : List.of(alices, alicesOther, carols)) {
                assertThat(other.awaitFrame(type("typing"), WAIT).getString("from"), is(bob.username()));
            }
            assertNoFrame(daves, bobs, null, type("typing"));

            String removal = awaitEvent(bobs, group, "removed");
            bobs.read("group", group, removal);
            bobs.awaitFrame(type("marker"), WAIT);
            for (ChatClient other : List.of(alices, alicesOther, carols)) {
                assertThat(other.awaitFrame(type("read"), WAIT).getString("by"), is(bob.username()));
            }
            assertNoFrame(daves, bobs, null, type("read"));

            daves.typing("group", group);
            assertThat(daves.awaitError(ErrorCode.NOT_A_MEMBER, WAIT), is(notNullValue()));
            assertNoFrame(bobs, daves, null, type("typing"));
        }
    }

    @Test
    void editsAndDeletesInAGroupReachEveryMembersDevicesLiveAndInReplayButNotARemovedMember() throws Exception {
        AuthClient.Token alice = stack.newUser("gealice");
        AuthClient.Token bob = stack.newUser("gebob");
        AuthClient.Token carol = stack.newUser("gecarol");
        AuthClient.Token dave = stack.newUser("gedave");
        MessageLog carolsLog = new MessageLog();
        MessageLog davesLog = new MessageLog();
        try (ChatClient phone = connect(a.port(), alice); ChatClient laptop = connect(c.port(), alice);
             ChatClient bobs = connect(b.port(), bob)) {
            String group;
            String one;
            String two;
            String three;
            String davesOwn;
            try (ChatClient carols = connect(c.port(), carol, carolsLog); ChatClient daves = connect(a.port(), dave);
                 ChatClient davesOther = connect(b.port(), dave, davesLog)) {
                group = phone.createGroup("Editors", List.of(bob.username(), carol.username(), dave.username()), WAIT)
                        .getString("group");
                one = sent(phone.sendToGroup(group, "one"));
                two = sent(phone.sendToGroup(group, "two"));
                three = sent(phone.sendToGroup(group, "three, a secret"));
                davesOwn = sent(daves.sendToGroup(group, "dave was here"));
                for (ChatClient client : List.of(laptop, bobs, carols)) {
                    await().atMost(WAIT).until(() -> client.log().contains(three) && client.log().contains(davesOwn));
                }
                await().atMost(WAIT).until(() -> daves.log().contains(three) && davesLog.contains(three));

                JsonObject edited = phone.edit(one, "one, edited").get(10, TimeUnit.SECONDS);
                assertThat(edited.getString("type"), is("edited"));
                assertThat(edited.getString("group"), is(group));
                for (ChatClient other : List.of(laptop, bobs, carols, daves)) {
                    JsonObject frame = other.awaitFrame(f -> type("edited").test(f) && one.equals(f.getString("id")),
                                                        WAIT);
                    assertThat(frame.getString("group"), is(group));
                    assertThat(frame.containsKey("clientId"), is(false));
                    assertThat(other.log().get(one).getString("text"), is("one, edited"));
                }

                phone.changeGroup(FrameType.GROUP_REMOVE, group, List.of(dave.username()), WAIT);
                String removal = awaitEvent(daves, group, "removed");
                await().atMost(WAIT).until(() -> carolsLog.contains(removal) && davesLog.contains(removal));
                carols.close();
                davesOther.close(); // resumes from the removal below

                assertThat(phone.edit(two, "two, edited").get(10, TimeUnit.SECONDS).getString("type"), is("edited"));
                assertThat(phone.delete(three).get(10, TimeUnit.SECONDS).getString("type"), is("deleted"));
                for (ChatClient other : List.of(laptop, bobs)) {
                    other.awaitFrame(f -> type("edited").test(f) && two.equals(f.getString("id")), WAIT);
                    other.awaitFrame(f -> type("deleted").test(f) && three.equals(f.getString("id")), WAIT);
                    assertThat(other.log().get(two).getString("text"), is("two, edited"));
                    assertThat(other.log().get(three).getBoolean("deleted"), is(true));
                }
                assertNoFrame(daves, phone, null, f -> type("edited").test(f) || type("deleted").test(f));
                assertThat("the removed member holds it as it was", daves.log().get(two).getString("text"), is("two"));

                assertRefused(daves.edit(davesOwn, "still mine?"), ErrorCode.NOT_A_MEMBER);
                assertRefused(daves.delete(davesOwn), ErrorCode.NOT_A_MEMBER);
                daves.read("group", group, davesOwn);
                assertThat(daves.awaitError(ErrorCode.NOT_A_MEMBER, WAIT), is(notNullValue()));
                assertThat("nothing changed", bobs.history("group", group, null, 10, WAIT).getJsonArray("messages")
                        .getValuesAs(JsonObject.class).stream().filter(m -> davesOwn.equals(m.getString("id")))
                        .findFirst().orElseThrow().getString("text"), is("dave was here"));
                assertThrows(IllegalStateException.class, () -> phone.awaitFrame(type("read"), QUIET));
                assertThat("the connection is usable", daves.sendPrivate(alice.username(), "ok")
                        .get(10, TimeUnit.SECONDS).getString("type"), is("sent"));
            }

            try (ChatClient carolOnB = connect(b.port(), carol, carolsLog);
                 ChatClient daveOnB = connect(b.port(), dave, davesLog)) {
                JsonObject replayed = carolOnB.awaitReplayed(WAIT);
                assertThat("the edit and the delete, after her resume point", replayed.getInt("changes"), is(2));
                assertThat(carolsLog.get(two).getString("text"), is("two, edited"));
                assertThat(carolsLog.get(three).getBoolean("deleted"), is(true));
                assertThat(carolsLog.get(three).getString("text"), is(""));

                JsonObject davesReplay = daveOnB.awaitReplayed(WAIT);
                assertThat("no changes of a group he was removed from", davesReplay.getInt("changes", 0), is(0));
                assertThat(davesLog.get(two).getString("text"), is("two"));
                assertThat(davesLog.get(three).getString("text"), is("three, a secret"));
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Predicate<JsonObject> type(String type) {
        return f -> type.equals(f.getString("type", ""));
    }

    private static String sent(CompletableFuture<JsonObject> send) throws Exception {
        JsonObject answer = send.get(10, TimeUnit.SECONDS);
        assertThat(answer.toString(), answer.getString("type"), is("sent"));
        return answer.getString("id");
    }

    private static void assertRefused(CompletableFuture<JsonObject> answer, String code) throws Exception {
        JsonObject frame = answer.get(10, TimeUnit.SECONDS);
        assertThat(frame.toString(), frame.getString("type"), is("error"));
        assertThat(frame.getString("code"), is(code));
    }

    private static String awaitEvent(ChatClient client, String group, String event) {
        return client.awaitFrame(f -> type(FrameType.MESSAGE).test(f) && group.equals(f.getString("group", null))
                                      && event.equals(f.getString("event", null)), WAIT).getString("id");
    }

    /** The entry of {@code conversations} of a group. */
    private static JsonObject groupEntry(ChatClient client, String group) {
        JsonObject answer = client.conversations(WAIT);
        return answer.getJsonArray("conversations").getValuesAs(JsonObject.class).stream()
                .filter(e -> group.equals(e.getString("group", null))).findFirst()
                .orElseThrow(() -> new AssertionError("no conversation of " + group + " in " + answer));
    }

    private static JsonObject member(JsonObject info, String user) {
        return info.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                .filter(m -> user.equals(m.getString("user"))).findFirst()
                .orElseThrow(() -> new AssertionError(user + " is not in " + info));
    }

    /**
     * Asserts that {@code watcher} got no such frame: {@code from} sends {@code watcher} a message after whatever it
     * did (to the group, or privately when {@code group} is null), which travels the same way (the same publisher,
     * the same channel), so once it arrived an earlier frame would have too; then a short quiet time.
     */
    private static void assertNoFrame(ChatClient watcher, ChatClient from, String group,
                                      Predicate<JsonObject> unwanted) throws Exception {
        String barrier = sent(group != null ? from.sendToGroup(group, "barrier")
                : from.sendPrivate(watcher.awaitWelcome(WAIT).getJsonObject("user").getString("username"),
                                   "barrier"));
        watcher.awaitFrame(f -> type("message").test(f) && barrier.equals(f.getString("id")), WAIT);
        assertThrows(IllegalStateException.class, () -> watcher.awaitFrame(unwanted, QUIET));
    }
}
