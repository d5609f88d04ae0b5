package io.microchat.chat;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Who gets an edit or a delete on the other instances ({@link Delivery#change}): each participant on their own
 * channel, with the conversation as they see it; a room message's change on the room's channel; a group message's
 * change to the participants stored on the message (so a group needs nothing more than its participants).
 */
class ChangeDeliveryTest {

    private static final String ID = "019a8f3c2b1e7c4d000042";
    private static final String REV = "019a8f3c3a0c7c4d000077";

    private final InMemoryPubSub.Network network = new InMemoryPubSub.Network();
    private final Delivery delivery = new Delivery("here", new LocalConnections(), new InMemoryPubSub(network));
    /** What another instance hears, by channel. */
    private final Map<String, JsonObject> heard = new ConcurrentHashMap<>();

    ChangeDeliveryTest() {
        InMemoryPubSub elsewhere = new InMemoryPubSub(network);
        elsewhere.handlePrefix(Channels.USER_PREFIX, this::hear);
        elsewhere.handle(Channels.ROOM_ALL, payload -> hear(Channels.ROOM_ALL, payload));
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            elsewhere.subscribe(Channels.user(user));
        }
    }

    @Test
    void aPrivateEditGoesToBothUsersEachNamingTheOther() {
        delivery.change(new MessageChanges.Change(ID, "dm:alice|bob", "Alice", "Bob", null, null,
                                                  List.of("alice", "bob"), 1L, "new", 2L, false, REV), null);
        JsonObject toAlice = heard.get(Channels.user("alice"));
        assertThat(toAlice.getString("type"), is("edited"));
        assertThat(toAlice.getString("with"), is("Bob"));
        assertThat(toAlice.getString("text"), is("new"));
        assertThat(toAlice.getJsonNumber("editedAt").longValue(), is(2L));
        assertThat(toAlice.getString("rev"), is(REV));
        assertThat(heard.get(Channels.user("bob")).getString("with"), is("Alice"));
        assertThat(heard.containsKey(Channels.ROOM_ALL), is(false));
    }

    @Test
    void aRoomDeleteGoesOnTheRoomChannelWithoutText() {
        delivery.change(new MessageChanges.Change(ID, "room:all", "alice", null, "all", null, List.of("*"), 1L, "",
                                                  null, true, REV), null);
        JsonObject frame = heard.get(Channels.ROOM_ALL);
        assertThat(frame.getString("type"), is("deleted"));
        assertThat(frame.getString("room"), is("all"));
        assertThat(frame.containsKey("text"), is(false));
        assertThat(heard.containsKey(Channels.user("alice")), is(false));
    }

    @Test
    void aGroupEditGoesToTheParticipantsStoredOnTheMessage() {
        String group = "g-5f0c2a9e41b7d3806ac1e2f4";
        delivery.change(new MessageChanges.Change(ID, "group:" + group, "alice", null, null, group,
                                                  List.of("alice", "carol", "dave"), 1L, "new", 2L, false, REV),
                        null);
        for (String user : List.of("alice", "carol", "dave")) {
            assertThat(heard.get(Channels.user(user)).getString("group"), is(group));
        }
        assertThat("bob was no participant", heard.containsKey(Channels.user("bob")), is(false));
    }

    private void hear(String channel, String payload) {
        Envelope envelope = Envelope.parse(payload);
        heard.put(channel, Json.createReader(new StringReader(envelope.frame())).readObject());
    }
}
