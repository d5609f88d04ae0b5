package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.ServiceProcess;
import io.microchat.protocol.FrameType;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * Groups across three chat instances as separate processes (real Redis, a MongoDB-protocol store, the auth
 * service), groups of at most 5 members ({@code APP_GROUPS_MAX_MEMBERS}): docs/protocol.md, "Groups".
 */
class GroupsClusterTest {

    private static ChatTestStack stack;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        Map<String, String> small = Map.of("APP_GROUPS_MAX_MEMBERS", "5");
        List<ServiceProcess> chats = stack.readyChatProcesses(small, "chat-a", "chat-b", "chat-c");
        a = chats.get(0);
        b = chats.get(1);
        c = chats.get(2);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String sent(ChatClient client, String group, String text) throws Exception {
        JsonObject answer = client.sendToGroup(group, text).get(10, TimeUnit.SECONDS);
        assertThat(answer.toString(), answer.getString("type"), is("sent"));
        return answer.getString("id");
    }

    private static JsonObject event(ChatClient client, String group, String event) {
        return client.awaitFrame(f -> FrameType.MESSAGE.equals(f.getString("type"))
                                      && group.equals(f.getString("group", null))
                                      && event.equals(f.getString("event", null)), WAIT);
    }

    private static List<String> members(JsonObject info) {
        return info.getJsonArray("members").getValuesAs(JsonObject.class).stream().map(m -> m.getString("user"))
                .toList();
    }

    private static List<String> ids(JsonObject history) {
        return history.getJsonArray("messages").getValuesAs(JsonObject.class).stream().map(m -> m.getString("id"))
                .toList();
    }

    @Test
    void aGroupChatsAcrossInstancesAndAReconnectToAThirdReplaysItsMessagesAndEvents() throws Exception {
        AuthClient.Token alice = stack.newUser("ga");
        AuthClient.Token bob = stack.newUser("gb");
        AuthClient.Token carol = stack.newUser("gc");
        AuthClient.Token dave = stack.newUser("gd");
        MessageLog carolsLog = new MessageLog();
        try (ChatClient onA = connect(a.port(), alice); ChatClient bobOnB = connect(b.port(), bob);
             ChatClient carolOnB = connect(b.port(), carol, carolsLog)) {
            JsonObject info = onA.createGroup("Trip to Lisbon", List.of(bob.username(), carol.username()), WAIT);
            assertThat(info.getString("type"), is("group_info"));
            assertThat(members(info), contains(alice.username(), bob.username(), carol.username()));
            String group = info.getString("group");
            for (ChatClient member : List.of(onA, bobOnB, carolOnB)) {
                assertThat(event(member, group, "created").getString("name"), is("Trip to Lisbon"));
            }

            String fromA = sent(onA, group, "from A");
            String fromB = sent(bobOnB, group, "from B");
            await().atMost(WAIT).until(() -> bobOnB.log().contains(fromA) && carolOnB.log().contains(fromA)
                                             && carolOnB.log().contains(fromB) && onA.log().contains(fromB));

            carolOnB.close();
            String missed1 = sent(onA, group, "while carol is away");
            String missed2 = sent(bobOnB, group, "still away");
            JsonObject added = onA.changeGroup(FrameType.GROUP_ADD, group, List.of(dave.username()), WAIT);
            assertThat(members(added), hasItem(dave.username()));
            String addedEvent = event(bobOnB, group, "added").getString("id");

            try (ChatClient carolOnC = connect(c.port(), carol, carolsLog)) {
                await().atMost(WAIT).until(() -> carolsLog.contains(missed1) && carolsLog.contains(missed2)
                                                  && carolsLog.contains(addedEvent));
                JsonObject replayedEvent = carolsLog.messages().stream()
                        .filter(m -> m.getString("id").equals(addedEvent)).findFirst().orElseThrow();
                assertThat(replayedEvent.getString("event"), is("added"));
                assertThat(replayedEvent.getJsonArray("users").getString(0), is(dave.username()));

                JsonObject history = carolOnC.history("group", group, null, 3, WAIT);
                assertThat(ids(history), contains(addedEvent, missed2, missed1));
                JsonObject older = carolOnC.history("group", group, history.getString("next"), 10, WAIT);
                assertThat(ids(older).subList(0, 2), contains(fromB, fromA));

                carolOnC.sendRaw("{\"type\":\"conversations\",\"requestId\":\"cv\"}");
                JsonObject conversations = carolOnC.awaitFrame(f -> "cv".equals(f.getString("requestId", null)), WAIT);
                JsonObject first = conversations.getJsonArray("conversations").getJsonObject(0);
                assertThat(first.getString("group"), is(group));
                assertThat(first.getString("name"), is("Trip to Lisbon"));
                assertThat(first.getJsonObject("last").getString("id"), is(addedEvent));
            }
        }
    }

    @Test
    void aMemberRemovedMidConversationGetsNothingMoreLiveInHistoryOrReplay() throws Exception {
        AuthClient.Token alice = stack.newUser("ra");
        AuthClient.Token bob = stack.newUser("rb");
        AuthClient.Token carol = stack.newUser("rc");
        MessageLog carolsLog = new MessageLog();
        try (ChatClient onA = connect(a.port(), alice); ChatClient bobOnB = connect(b.port(), bob);
             ChatClient carolOnC = connect(c.port(), carol, carolsLog)) {
            String group = onA.createGroup("Team", List.of(bob.username(), carol.username()), WAIT)
                    .getString("group");
            String before = sent(bobOnB, group, "before");
            await().atMost(WAIT).until(() -> carolsLog.contains(before));
            String resumePoint = carolsLog.resumeAfter();

            JsonObject after = onA.changeGroup(FrameType.GROUP_REMOVE, group, List.of(carol.username()), WAIT);
            assertThat(members(after), contains(alice.username(), bob.username()));
            String removal = event(carolOnC, group, "removed").getString("id");
            String later1 = sent(bobOnB, group, "carol is gone");
            String later2 = sent(onA, group, "yes");
            await().atMost(WAIT).until(() -> bobOnB.log().contains(later2) && onA.log().contains(later1));
            Thread.sleep(500);
            assertThat(carolsLog.contains(later1) || carolsLog.contains(later2), is(false));

            assertThat(ids(carolOnC.history("group", group, null, 50, WAIT)).getFirst(), is(removal));
            JsonObject refused = carolOnC.sendToGroup(group, "let me back").get(10, TimeUnit.SECONDS);
            assertThat(refused.getString("code"), is("not_a_member"));
            assertThat(carolOnC.groupInfo(group, WAIT).getString("code"), is("not_a_member"));
            assertThat(carolOnC.groups(WAIT).getJsonArray("groups").size(), is(0));

            MessageLog fresh = new MessageLog();
            fresh.add(carolsLog.messages().stream().filter(m -> m.getString("id").equals(resumePoint)).findFirst()
                              .orElseThrow());
            try (ChatClient carolOnA = connect(a.port(), carol, fresh)) {
                await().atMost(WAIT).until(() -> fresh.contains(removal));
                assertThat(fresh.contains(later1) || fresh.contains(later2), is(false));
                assertThat(carolOnA.sendPrivate(bob.username(), "still usable").get(10, TimeUnit.SECONDS)
                                   .getString("type"), is("sent"));
            }
        }
    }

    @Test
    void concurrentAddsOnTwoInstancesDoNotPassTheMaximum() throws Exception {
        AuthClient.Token alice = stack.newUser("ca");
        AuthClient.Token bob = stack.newUser("cb");
        List<String> newcomers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            newcomers.add(stack.newUser("cn").username());
        }
        try (ChatClient onA = connect(a.port(), alice); ChatClient bobOnB = connect(b.port(), bob)) {
            String group = onA.createGroup("Full", List.of(bob.username()), WAIT).getString("group");
            assertThat(onA.changeGroup(FrameType.GROUP_ADMIN, group, List.of(bob.username()), WAIT)
                               .getString("type"), is("group_info"));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Callable<JsonObject>> adds = List.of(
                        () -> {
                            go.await();
                            return onA.changeGroup(FrameType.GROUP_ADD, group, newcomers.subList(0, 2), WAIT);
                        },
                        () -> {
                            go.await();
                            return bobOnB.changeGroup(FrameType.GROUP_ADD, group, newcomers.subList(2, 4), WAIT);
                        });
                List<Future<JsonObject>> outcomes = adds.stream().map(pool::submit).toList();
                go.countDown();
                List<String> types = new ArrayList<>();
                for (Future<JsonObject> outcome : outcomes) {
                    JsonObject answer = outcome.get(20, TimeUnit.SECONDS);
                    types.add(answer.getString("type").equals("error") ? answer.getString("code")
                                      : answer.getString("type"));
                }
                assertThat(types, containsInAnyOrder("group_info", "group_too_large"));
            } finally {
                pool.shutdownNow();
            }
            List<String> members = members(onA.groupInfo(group, WAIT));
            assertThat(members.size(), is(4));
            assertThat(members.size(), lessThanOrEqualTo(5));
        }
    }

    @Test
    void everyBadGroupFrameGetsItsErrorChangesNothingAndTheConnectionStaysUsable() throws Exception {
        AuthClient.Token alice = stack.newUser("ea");
        AuthClient.Token bob = stack.newUser("eb");
        AuthClient.Token eve = stack.newUser("ee");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(stack.newUser("eo").username());
        }
        try (ChatClient onA = connect(a.port(), alice); ChatClient bobOnB = connect(b.port(), bob);
             ChatClient eveOnC = connect(c.port(), eve)) {
            String group = onA.createGroup("Club", List.of(bob.username()), WAIT).getString("group");
            String unknown = "g-0123456789abcdef01234567";

            assertThat(onA.groupInfo(unknown, WAIT).getString("code"), is("unknown_group"));
            assertThat(onA.sendToGroup(unknown, "hi").get(10, TimeUnit.SECONDS).getString("code"),
                       is("unknown_group"));
            assertThat(eveOnC.sendToGroup(group, "hi").get(10, TimeUnit.SECONDS).getString("code"),
                       is("not_a_member"));
            assertThat(eveOnC.history("group", group, null, 10, WAIT).getString("code"), is("not_a_member"));
            assertThat(bobOnB.changeGroup(FrameType.GROUP_ADD, group, List.of(eve.username()), WAIT)
                               .getString("code"), is("not_admin"));
            assertThat(onA.changeGroup(FrameType.GROUP_ADD, group, others.subList(0, 4), WAIT)
                               .getString("code"), is("group_too_large"));
            assertThat(onA.createGroup("Big", others, WAIT).getString("code"),
                       is("group_too_large"));
            assertThat(onA.createGroup("  ", List.of(), WAIT).getString("code"), is("invalid_group_name"));
            assertThat(onA.createGroup("x".repeat(101), List.of(), WAIT).getString("code"), is("invalid_group_name"));
            assertThat(onA.changeGroup(FrameType.GROUP_ADD, group, List.of("nobody-" + group), WAIT)
                               .getString("code"), is("unknown_user"));

            assertThat("nothing changed", members(onA.groupInfo(group, WAIT)),
                       contains(alice.username(), bob.username()));
            assertThat("nothing created", onA.groups(WAIT).getJsonArray("groups").size(), is(1));
            assertThat(eveOnC.groups(WAIT).getJsonArray("groups").size(), is(0));
            String id = sent(onA, group, "still fine");
            await().atMost(WAIT).until(() -> bobOnB.log().contains(id));
            assertThat(eveOnC.log().contains(id), is(false));
            assertThat(eveOnC.sendPrivate(alice.username(), "usable").get(10, TimeUnit.SECONDS).getString("type"),
                       is("sent"));
            assertThat(bobOnB.log().messages().stream().map(m -> m.getString("text")).toList(),
                       not(hasItem("hi")));
        }
    }
}
