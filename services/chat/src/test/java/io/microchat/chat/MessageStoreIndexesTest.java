package io.microchat.chat;

import java.util.ArrayList;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

/** The indexes MessageStore creates on {@code messages} (docs/architecture.md, "Message ids and indexes"). */
class MessageStoreIndexesTest {

    private final StoreTestDb store = new StoreTestDb();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theMessagesIndexesAreCreated() {
        new MessageStore(store.db, new ChatMetrics(Metrics.globalRegistry(), "indexes-test")).ensureIndexes();
        assertThat(store.db.getCollection("messages").listIndexes().map(i -> i.getString("name"))
                           .into(new ArrayList<>()),
                   containsInAnyOrder("_id_", "send_idempotency", "history", "replay", "conversation_participants",
                                      "undelivered"));
    }
}
