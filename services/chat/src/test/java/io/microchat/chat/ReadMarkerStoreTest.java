package io.microchat.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Read markers and unread counts in MongoDB (mongo-java-server behind the real driver). */
class ReadMarkerStoreTest {

    private static final String DM = ChatMessage.privateConversation("alice", "bob");
    private static final String GROUP = "g-0123456789abcdef01234567";

    private final StoreTestDb store = new StoreTestDb();
    private final ReadMarkerStore markers = new ReadMarkerStore(store.db);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aConversationsMarkersAreFoundByIndex() {
        markers.ensureIndexes();
        assertThat(store.db.getCollection("readMarkers").listIndexes().map(i -> i.getString("name"))
                           .into(new ArrayList<>()), containsInAnyOrder("_id_", "markers_of_conversation"));
    }

    @Test
    void aMarkerOnlyMovesForward() {
        ChatMessage first = store.storeMessage("bob", "alice", null, "one", 1_000);
        ChatMessage second = store.storeMessage("bob", "alice", null, "two", 2_000);
        assertThat(markers.marker("alice", DM), is(nullValue()));
        assertThat(markers.advance("alice", DM, second.id(), 3_000), is(true));
        assertThat(markers.advance("alice", DM, first.id(), 3_001), is(false));
        assertThat(markers.advance("alice", DM, second.id(), 3_002), is(false));
        assertThat(markers.marker("alice", DM), is(second.id()));
        assertThat(markers.markersOf(DM), is(Map.of("alice", second.id())));
        assertThat(markers.markers("alice", List.of(DM, "room:all")), is(Map.of(DM, second.id())));
    }

    @Test
    void concurrentReportsEndAtTheHighest() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(store.storeMessage("bob", "alice", null, "m" + i, 1_000 + i).id());
        }
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> moves = new ArrayList<>();
            for (String id : shuffled) {
                moves.add(pool.submit(() -> markers.advance("alice", DM, id, 5_000)));
            }
            for (Future<Boolean> move : moves) {
                move.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(markers.marker("alice", DM), is(ids.get(ids.size() - 1)));
        assertThat(store.db.getCollection("readMarkers").countDocuments(), is(1L));
    }

    @Test
    void aMarkerPointsAtAMessageTheUserReceivedInThatConversation() {
        ChatMessage toAlice = store.storeMessage("bob", "alice", null, "hi", 1_000);
        ChatMessage toCarol = store.storeMessage("bob", "carol", null, "hi", 1_001);
        ChatMessage broadcast = store.storeMessage("bob", null, "all", "hi all", 1_002);
        String groupMessage = store.storeGroupMessage("bob", GROUP, List.of("bob", "carol"), "hi", null, 1_003);

        markers.requireReceived("alice", DM, toAlice.id());
        markers.requireReceived("bob", DM, toAlice.id());
        markers.requireReceived("alice", "room:all", broadcast.id());
        markers.requireReceived("carol", GroupStore.conversation(GROUP), groupMessage);
        for (Runnable unknown : List.<Runnable>of(
                () -> markers.requireReceived("alice", DM, toCarol.id()),
                () -> markers.requireReceived("alice", ChatMessage.privateConversation("bob", "carol"), toCarol.id()),
                () -> markers.requireReceived("alice", DM, broadcast.id()),
                () -> markers.requireReceived("alice", GroupStore.conversation(GROUP), groupMessage),
                () -> markers.requireReceived("alice", DM, "019a8f3c2b1e7c4d999999"),
                () -> markers.requireReceived("alice", DM, "not an id"))) {
            assertThat(assertThrows(ProtocolException.class, unknown::run).code(), is(ErrorCode.UNKNOWN_MESSAGE));
        }
    }

    @Test
    void unreadCountsMessagesFromOthersAfterTheMarker() {
        ChatMessage first = store.storeMessage("bob", "alice", null, "one", 1_000);
        store.storeMessage("alice", "bob", null, "mine", 1_001);
        store.storeMessage("bob", "alice", null, "two", 1_002);
        ChatMessage three = store.storeMessage("bob", "alice", null, "three", 1_003);
        store.db.getCollection("messages").updateOne(new org.bson.Document("_id", three.id()),
                                                     new org.bson.Document("$set",
                                                                           new org.bson.Document("deleted", true)));
        assertThat(markers.unread("alice", DM, null), is(2));
        assertThat(markers.unread("alice", DM, first.id()), is(1));
        assertThat(markers.unread("bob", DM, null), is(1));
    }

    @Test
    void unreadInAGroupLeavesOutEventsAndWhatCameAfterARemoval() {
        String conv = GroupStore.conversation(GROUP);
        store.storeGroupMessage("alice", GROUP, List.of("alice", "bob", "carol"), "", Groups.EVENT_CREATED, 1_000);
        String hello = store.storeGroupMessage("alice", GROUP, List.of("alice", "bob", "carol"), "hello", null, 1_001);
        store.storeGroupMessage("bob", GROUP, List.of("alice", "bob", "carol"), "hi", null, 1_002);
        store.storeGroupMessage("alice", GROUP, List.of("alice", "bob", "carol"), "", Groups.EVENT_REMOVED, 1_003);
        store.storeGroupMessage("alice", GROUP, List.of("alice", "bob"), "carol is gone", null, 1_004);
        assertThat(markers.unread("carol", conv, null), is(2));
        assertThat(markers.unread("carol", conv, hello), is(1));
        assertThat(markers.unread("bob", conv, null), is(2));
    }

    @Test
    void unreadStopsAtTheCap() {
        List<org.bson.Document> many = new ArrayList<>();
        for (int i = 0; i < Groups.UNREAD_CAP + 5; i++) {
            String id = store.ids().next(1_000);
            many.add(new org.bson.Document("_id", id).append("ts", 1_000L).append("from", "bob")
                             .append("fromLower", "bob").append("to", "alice").append("toLower", "alice")
                             .append("conv", DM).append("participants", List.of("alice", "bob"))
                             .append("text", "x").append("clientId", id));
        }
        store.db.getCollection("messages").insertMany(many);
        assertThat(markers.unread("alice", DM, null), is(Groups.UNREAD_CAP));
        assertThat(markers.unread("alice", DM, many.get(9).getString("_id")), is(Groups.UNREAD_CAP - 5));
    }
}
