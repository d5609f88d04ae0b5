package io.microchat.chat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.microchat.devstack.EmbeddedMongo;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistries;

/**
 * A fresh database on an in-memory MongoDB-protocol server (mongo-java-server), reached through the real driver,
 * for the tests of the stores; with helpers that store messages in the shape the chat service stores them.
 */
final class StoreTestDb implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final EmbeddedMongo mongo = EmbeddedMongo.inMemory().start();
    private final MongoClient client = MongoClients.create(mongo.uri("test"));
    private final MessageIds ids = new MessageIds(0x18);
    final MongoDatabase db = client.getDatabase("stores" + NAMES.incrementAndGet());

    MessageIds ids() {
        return ids;
    }

    /** Stores a private or room message as the chat service does (with its codec). */
    ChatMessage storeMessage(String from, String to, String room, String text, long ts) {
        ChatMessage message = new ChatMessage(ids.next(ts), ts, from, to, room, text, "c-" + ids.next(ts), null);
        db.getCollection("messages", ChatMessage.class)
                .withCodecRegistry(CodecRegistries.fromRegistries(
                        CodecRegistries.fromCodecs(new ChatMessageCodec()), db.getCodecRegistry()))
                .insertOne(message);
        return message;
    }

    /**
     * Stores a group message in the shape docs/protocol.md specifies: the private message's fields with
     * {@code group}, {@code conv: group:<id>} and the members at send time as {@code participants}.
     */
    String storeGroupMessage(String from, String group, List<String> participants, String text, String event,
                             long ts) {
        String id = ids.next(ts);
        Document document = new Document("_id", id).append("ts", ts).append("from", from)
                .append("fromLower", Users.key(from)).append("to", null).append("toLower", null)
                .append("room", null).append("group", group).append("conv", GroupStore.conversation(group))
                .append("participants", participants).append("text", text).append("clientId", "c-" + id);
        if (event != null) {
            document.append("event", event);
        }
        db.getCollection("messages").insertOne(document);
        return id;
    }

    Document rawMessage(String id) {
        return db.getCollection("messages").find(new Document("_id", id)).first();
    }

    @Override
    public void close() {
        client.close();
        mongo.close();
    }
}
