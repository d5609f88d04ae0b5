package io.microchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.helidon.metrics.api.Metrics;
import io.microchat.common.AuthenticatedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

/**
 * An edit or delete of a group message goes live only to the participants who are members now (issue 18 review,
 * item 2): a member removed after the message was sent does not get the new text.
 */
class GroupChangeAudienceTest {

    private static final String GROUP = "g-0123456789abcdef01234567";

    private final StoreTestDb store = new StoreTestDb();
    private final InMemoryPubSub.Network network = new InMemoryPubSub.Network();
    private final OutboxBudgets budgets = new OutboxBudgets(1 << 20, 1 << 22, 1 << 24);
    private final MessageEditing editing = new MessageEditing(
            new MessageChanges(store.db, store.ids(), Duration.ofMinutes(15)),
            Map.of(GROUP, List.of("alice", "bob"))::get,
            new Delivery("here", new LocalConnections(), new InMemoryPubSub(network)));

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRemovedMemberGetsNoLiveEditOrDelete() {
        String id = store.storeGroupMessage("alice", GROUP, List.of("alice", "bob", "carol"), "meet at 5", null,
                                            System.currentTimeMillis());
        Connection alice = new Connection(new HubFixture.Session(), new ChatMetrics(Metrics.globalRegistry(), "ga"),
                                          budgets, 20, 40);
        alice.authenticated(new AuthenticatedUser("id-alice", "alice", Instant.now().plusSeconds(600), "s"),
                            budgets.join("alice"));

        editing.edit(alice, new Command.Edit("e1", id, "meet at 6"));
        assertThat(network.published, containsInAnyOrder(Channels.user("alice"), Channels.user("bob")));
        network.published.clear();
        editing.delete(alice, new Command.Delete("d1", id));
        assertThat(network.published, containsInAnyOrder(Channels.user("alice"), Channels.user("bob")));
    }
}
