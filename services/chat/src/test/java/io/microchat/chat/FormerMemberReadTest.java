package io.microchat.chat;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.metrics.api.Metrics;
import io.microchat.common.AuthenticatedUser;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A former member of a group marks it read (issue 18 review, item 1): the marker is stored and reaches their own
 * devices with {@code unread} 0, nobody gets a receipt; an id they never received is still {@code unknown_message},
 * and someone who never was a member still gets {@code not_a_member}. ReadReceipts over mongo-java-server.
 */
class FormerMemberReadTest {

    private static final String GROUP = "g-0123456789abcdef01234567";
    private static final String CONV = GroupStore.conversation(GROUP);

    private final StoreTestDb store = new StoreTestDb();
    private final ReadMarkerStore markers = new ReadMarkerStore(store.db);
    private final LocalConnections connections = new LocalConnections();
    private final ChatMetrics metrics = new ChatMetrics(Metrics.globalRegistry(), "reads-test");
    private final OutboxBudgets budgets = new OutboxBudgets(1 << 20, 1 << 22, 1 << 24);
    private final ReadReceipts receipts;

    FormerMemberReadTest() {
        UserDirectory users = Optional::of;
        // only alice and bob are members now
        ConversationMembers members = new ConversationMembers(users, (userKey, group) -> {
            if (!List.of("alice", "bob").contains(userKey)) {
                throw new ProtocolException(ErrorCode.NOT_A_MEMBER, "not a member");
            }
            return List.of("alice", "bob").stream().filter(k -> !k.equals(userKey)).toList();
        });
        Delivery delivery = new Delivery("reads-test", connections, new InMemoryPubSub(new InMemoryPubSub.Network()));
        receipts = new ReadReceipts(markers, new UserPreferences(store.db), members, users, delivery,
                                    new HubFixture.Online());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aFormerMemberClearsTheirBadgeAndNobodyHearsOfIt() {
        List<String> before = List.of("alice", "bob", "carol");
        store.storeGroupMessage("alice", GROUP, before, "one", null, 1_000);
        store.storeGroupMessage("bob", GROUP, before, "two", null, 2_000);
        String removed = store.storeGroupMessage("alice", GROUP, before, "", Groups.EVENT_REMOVED, 3_000);
        String after = store.storeGroupMessage("alice", GROUP, List.of("alice", "bob"), "later", null, 4_000);
        assertThat(markers.unread("carol", CONV, null), is(2));

        HubFixture.Session carolSession = new HubFixture.Session();
        Connection carol = connection(carolSession, "carol");
        HubFixture.Session aliceSession = new HubFixture.Session();
        connection(aliceSession, "alice");

        receipts.read(carol, new Command.Read(new ConversationRef.InGroup(GROUP), removed));
        assertThat(markers.marker("carol", CONV), is(removed));
        assertThat(markers.unread("carol", CONV, removed), is(0));
        JsonObject marker = parse(carolSession.frames.getLast());
        assertThat(marker.getString("type"), is("marker"));
        assertThat(marker.getString("group"), is(GROUP));
        assertThat(marker.getString("upTo"), is(removed));
        assertThat(marker.getInt("unread"), is(0));
        assertThat("no receipt to the members", aliceSession.frames, is(empty()));

        ProtocolException unknown = assertThrows(ProtocolException.class, () -> receipts.read(
                carol, new Command.Read(new ConversationRef.InGroup(GROUP), after)));
        assertThat(unknown.code(), is(ErrorCode.UNKNOWN_MESSAGE));
        assertThat(markers.marker("carol", CONV), is(removed));

        HubFixture.Session daveSession = new HubFixture.Session();
        Connection dave = connection(daveSession, "dave");
        ProtocolException notMember = assertThrows(ProtocolException.class, () -> receipts.read(
                dave, new Command.Read(new ConversationRef.InGroup(GROUP), removed)));
        assertThat(notMember.code(), is(ErrorCode.NOT_A_MEMBER));
        assertThat(markers.marker("dave", CONV), is(nullValue()));
    }

    private Connection connection(HubFixture.Session session, String user) {
        Connection connection = new Connection(session, metrics, budgets, 20, 40);
        connection.authenticated(new AuthenticatedUser("id-" + user, user, Instant.now().plusSeconds(600), "s"),
                                 budgets.join(user));
        connections.join(user, connection, () -> { });
        return connection;
    }

    private static JsonObject parse(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }
}
