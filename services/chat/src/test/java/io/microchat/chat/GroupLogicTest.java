package io.microchat.chat;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Groups through the hub of two instances over the in-memory stand-ins for messages and pub/sub, the groups in
 * mongo-java-server ({@link HubFixture}): fan-out on write, removal, and the errors of the group frames.
 */
class GroupLogicTest {

    private static final String NO_SUCH_GROUP = "g-0123456789abcdef01234567";

    private final InMemoryPubSub.Network network = new InMemoryPubSub.Network();
    private final InMemoryMessages store = new InMemoryMessages();
    private final StoreTestDb db = new StoreTestDb();
    private final GroupStore groups = new GroupStore(db.db, 4);
    private final HubFixture here = new HubFixture("here", network, store, groups);
    private final HubFixture there = new HubFixture("there", network, store, groups);

    @AfterEach
    void close() {
        db.close();
    }

    private static String json(String frame) {
        return frame.replace('\'', '"');
    }

    private static JsonObject answer(HubFixture.Client client, String requestId) {
        return client.await(f -> requestId.equals(f.getString("requestId", null)));
    }

    private static JsonObject message(HubFixture.Client client, String id) {
        return client.await(f -> "message".equals(f.getString("type")) && id.equals(f.getString("id")));
    }

    private static JsonObject event(HubFixture.Client client, String event) {
        return client.await(f -> "message".equals(f.getString("type")) && event.equals(f.getString("event", null)));
    }

    private static boolean holds(HubFixture.Client client, String id) {
        return client.frames().stream().anyMatch(f -> "message".equals(f.getString("type"))
                                                      && id.equals(f.getString("id")));
    }

    private static String send(HubFixture.Client client, String clientId, String group, String text) {
        client.send(json("{'type':'send','clientId':'" + clientId + "','group':'" + group + "','text':'" + text
                         + "'}"));
        JsonObject answer = client.await(f -> clientId.equals(f.getString("clientId", null)));
        return "sent".equals(answer.getString("type")) ? answer.getString("id") : answer.getString("code");
    }

    private static String create(HubFixture.Client client, String name, String members) {
        client.send(json("{'type':'group_create','requestId':'create','name':'" + name + "','members':[" + members
                         + "]}"));
        return answer(client, "create").getString("group");
    }

    private static List<String> names(JsonObject info) {
        return info.getJsonArray("members").getValuesAs(JsonObject.class).stream().map(m -> m.getString("user"))
                .toList();
    }

    @Test
    void aGroupMessageIsStoredOnceAndPublishedOnEachMembersChannel() {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client bob = there.connected("bob");
        HubFixture.Client carol = here.connected("carol");
        HubFixture.Client dave = there.connected("dave");

        alice.send(json("{'type':'group_create','requestId':'g1','name':' Trip ','members':['bob','carol']}"));
        JsonObject info = answer(alice, "g1");
        assertThat(info.getString("type"), is("group_info"));
        assertThat(info.getString("name"), is("Trip"));
        assertThat(names(info), contains("alice", "bob", "carol"));
        String group = info.getString("group");
        for (HubFixture.Client member : List.of(alice, bob, carol)) {
            JsonObject created = event(member, "created");
            assertThat(created.getString("group"), is(group));
            assertThat(created.getString("name"), is("Trip"));
            assertThat(created.getJsonArray("users").getValuesAs(JsonString.class).stream()
                               .map(JsonString::getString).toList(), contains("bob", "carol"));
        }

        network.published.clear();
        String id = send(alice, "m1", group, "hello group");
        assertThat(message(bob, id).getString("group"), is(group));
        assertThat(message(carol, id).getString("text"), is("hello group"));
        assertThat("the sender has its answer", holds(alice, id), is(false));
        assertThat("not a member", holds(dave, id), is(false));
        assertThat(network.published, hasItems(Channels.user("alice"), Channels.user("bob"), Channels.user("carol")));
        assertThat(network.published, not(hasItems(Channels.user("dave"))));
        assertThat(store.find(id).participants(), contains("alice", "bob", "carol"));

        bob.send(json("{'type':'history','requestId':'h','group':'" + group + "'}"));
        assertThat(answer(bob, "h").getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                           .map(m -> m.getString("id")).toList().getFirst(), is(id));
        bob.send(json("{'type':'conversations','requestId':'c'}"));
        JsonObject conversation = answer(bob, "c").getJsonArray("conversations").getJsonObject(0);
        assertThat(conversation.getString("group"), is(group));
        assertThat(conversation.getString("name"), is("Trip"));
    }

    @Test
    void aRemovedMemberGetsTheRemovalAndNothingAfterItLiveInHistoryOrReplay() {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client carol = there.connected("carol");
        String group = create(alice, "Trip", "'carol','bob'");
        String before = send(alice, "m1", group, "before");
        message(carol, before);

        alice.send(json("{'type':'group_remove','requestId':'r','group':'" + group + "','users':['CAROL']}"));
        assertThat(names(answer(alice, "r")), contains("alice", "bob"));
        JsonObject removed = event(carol, "removed");
        String after = send(alice, "m2", group, "after");
        HubFixture.Client bob = here.connected("bob");
        String later = send(alice, "m3", group, "later");
        message(bob, later);
        assertThat(holds(carol, after) || holds(carol, later), is(false));

        carol.send(json("{'type':'history','requestId':'h','group':'" + group + "'}"));
        assertThat(answer(carol, "h").getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                           .map(m -> m.getString("id")).toList().getFirst(), is(removed.getString("id")));
        assertThat(send(carol, "c1", group, "still here?"), is("not_a_member"));

        HubFixture.Client again = there.connect("carol", before);
        again.await("replayed");
        assertThat(holds(again, removed.getString("id")), is(true));
        assertThat(holds(again, after), is(false));
    }

    @Test
    void everyBadGroupFrameIsAnsweredWithItsErrorAndChangesNothing() {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client bob = here.connected("bob");
        HubFixture.Client erin = there.connected("erin");
        String group = create(alice, "Trip", "'bob'");

        List<String[]> cases = List.of(
                new String[] {"{'type':'group_info','requestId':'e1','group':'" + NO_SUCH_GROUP + "'}",
                              "unknown_group"},
                new String[] {"{'type':'group_add','requestId':'e2','group':'g-bad','users':['bob']}",
                              "unknown_group"},
                new String[] {"{'type':'group_create','requestId':'e3','name':'   '}", "invalid_group_name"},
                new String[] {"{'type':'group_create','requestId':'e4','name':'" + "x".repeat(101) + "'}",
                              "invalid_group_name"},
                new String[] {"{'type':'group_create','requestId':'e5','name':'Big','members':['a','b','c','d']}",
                              "group_too_large"},
                new String[] {"{'type':'group_create','requestId':'e6','name':'X','members':['nobody']}",
                              "unknown_user"},
                new String[] {"{'type':'group_add','requestId':'e7','group':'" + group + "','users':['c','d','e']}",
                              "group_too_large"},
                new String[] {"{'type':'group_add','requestId':'e8','group':'" + group + "','users':['nobody']}",
                              "unknown_user"},
                new String[] {"{'type':'group_remove','requestId':'e9','group':'" + group + "','users':['erin']}",
                              "not_a_member"},
                new String[] {"{'type':'group_remove','requestId':'e10','group':'" + group + "','users':['alice']}",
                              "invalid_field"});
        for (String[] bad : cases) {
            alice.send(json(bad[0]));
            String requestId = bad[0].replaceAll(".*'requestId':'([^']+)'.*", "$1");
            assertThat(bad[0], answer(alice, requestId).getString("code"), is(bad[1]));
        }
        bob.send(json("{'type':'group_add','requestId':'b1','group':'" + group + "','users':['erin']}"));
        assertThat(answer(bob, "b1").getString("code"), is("not_admin"));
        erin.send(json("{'type':'group_info','requestId':'x1','group':'" + group + "'}"));
        assertThat(answer(erin, "x1").getString("code"), is("not_a_member"));
        erin.send(json("{'type':'history','requestId':'x2','group':'" + group + "'}"));
        assertThat(answer(erin, "x2").getString("code"), is("not_a_member"));
        assertThat(send(erin, "x3", group, "let me in"), is("not_a_member"));
        assertThat(send(alice, "x4", NO_SUCH_GROUP, "anyone?"), is("unknown_group"));
        erin.send(json("{'type':'group_leave','requestId':'x5','group':'" + group + "'}"));
        assertThat(answer(erin, "x5").getString("code"), is("not_a_member"));

        alice.send(json("{'type':'group_info','requestId':'ok','group':'" + group + "'}"));
        assertThat("nothing changed", names(answer(alice, "ok")), contains("alice", "bob"));
        alice.send(json("{'type':'groups','requestId':'mine'}"));
        assertThat("nothing created", answer(alice, "mine").getJsonArray("groups").size(), is(1));
        erin.send(json("{'type':'ping'}"));
        erin.await("pong");
    }

    @Test
    void leavingAsTheLastAdminMakesTheOldestMemberAdmin() {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client bob = there.connected("bob");
        String group = create(alice, "Trip", "'bob','carol'");
        alice.send(json("{'type':'group_leave','requestId':'l','group':'" + group + "'}"));
        assertThat(answer(alice, "l").getString("type"), is("group_left"));
        JsonObject left = event(bob, "left");
        assertThat(left.getString("from"), is("alice"));
        assertThat(left.getJsonArray("admins").getString(0), is("bob"));
        event(alice, "left");
        bob.send(json("{'type':'groups','requestId':'g'}"));
        JsonObject listed = answer(bob, "g").getJsonArray("groups").getJsonObject(0);
        assertThat(listed.getString("role"), is("admin"));
        assertThat(listed.getInt("size"), is(2));
    }

    @Test
    void groupChangesAreChargedToTheSendLimitAndRefusedWhenOverloadedBeforeAnyChange() {
        HubFixture.Client alice = here.connected("alice");
        String group = create(alice, "Trip", "'bob'");
        store.overloadedFor = 500;
        alice.send(json("{'type':'group_add','requestId':'o1','group':'" + group + "','users':['carol']}"));
        JsonObject refused = answer(alice, "o1");
        assertThat(refused.getString("code"), is("overloaded"));
        assertThat(refused.getInt("retryAfterMs"), is(500));
        alice.send(json("{'type':'group_info','requestId':'o2','group':'" + group + "'}"));
        assertThat("nothing changed", names(answer(alice, "o2")), contains("alice", "bob"));
        store.overloadedFor = 0;

        // sent at once, not one by one: faster than the allowance refills
        for (int i = 0; i < 100; i++) {
            String change = i % 2 == 0 ? "group_add" : "group_remove";
            alice.send(json("{'type':'" + change + "','requestId':'r" + i + "','group':'" + group
                            + "','users':['carol']}"));
        }
        answer(alice, "r99");
        String limited = alice.frames().stream().filter(f -> f.getString("requestId", "").startsWith("r"))
                .map(f -> f.getString("code", "")).filter("rate_limited"::equals).findFirst().orElse(null);
        assertThat(limited, is("rate_limited"));
    }

    @Test
    void aRefusedGroupSendSpendsNoAllowance() {
        HubFixture.Client alice = here.connected("alice");
        for (int i = 0; i < 120; i++) {
            alice.send(json("{'type':'send','clientId':'n" + i + "','group':'" + NO_SUCH_GROUP
                            + "','text':'anyone?'}"));
        }
        assertThat(alice.await(f -> "n119".equals(f.getString("clientId", null))).getString("code"),
                   is("unknown_group"));
        String group = create(alice, "Trip", "'bob'");
        assertThat(send(alice, "ok", group, "still allowed"), not(is("rate_limited")));
    }

    @Test
    void aFormerMembersHistoryHasNoTextOfAnEditMadeAfterTheRemoval() {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client carol = here.connected("carol");
        String group = create(alice, "Trip", "'bob','carol'");
        String id = send(alice, "m1", group, "meet at 5");
        alice.send(json("{'type':'group_remove','requestId':'rm','group':'" + group + "','users':['carol']}"));
        event(carol, "removed");
        ChatMessage sent = store.history(GroupStore.conversation(group), "alice", null, 10).stream()
                .filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        long now = System.currentTimeMillis() + 5;
        String rev = new MessageIds().next(now);
        store.add(new ChatMessage(sent.id(), sent.ts(), sent.from(), null, null, "meet at 6", sent.clientId(), null,
                                  sent.group(), null, sent.members(), now, false, rev));

        carol.send(json("{'type':'history','requestId':'h','group':'" + group + "'}"));
        JsonObject asCarolSeesIt = answer(carol, "h").getJsonArray("messages").getValuesAs(JsonObject.class)
                .stream().filter(m -> id.equals(m.getString("id"))).findFirst().orElseThrow();
        assertThat(asCarolSeesIt.getString("text"), is(""));
        assertThat(asCarolSeesIt.containsKey("edited"), is(true));
        alice.send(json("{'type':'history','requestId':'h','group':'" + group + "'}"));
        JsonObject asAliceSeesIt = answer(alice, "h").getJsonArray("messages").getValuesAs(JsonObject.class)
                .stream().filter(m -> id.equals(m.getString("id"))).findFirst().orElseThrow();
        assertThat(asAliceSeesIt.getString("text"), is("meet at 6"));
    }
}
