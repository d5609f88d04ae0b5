package io.microchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Read markers in MongoDB, collection {@code readMarkers} (docs/protocol.md, "Read markers and read receipts"):
 * one document per user and conversation, {@code {_id: "<conv> <user>", conv, user, upTo, at}}, where {@code conv}
 * is the conversation key of the messages ({@code dm:a|b}, {@code group:g-...}, {@code room:all}) and {@code upTo}
 * the newest message id the user has read.
 *
 * <p>A marker only moves forward: the update is a {@code $max} on {@code upTo}, so concurrent reports from several
 * devices (on several instances) end with the highest whatever their order, and a lower one changes nothing.
 * Unread counts are counted from the markers and the messages (the {@code history} index, conversation then id).
 */
final class ReadMarkerStore {

    private final MongoCollection<Document> markers;
    private final MongoCollection<Document> messages;
    private volatile boolean indexesReady;

    ReadMarkerStore(MongoDatabase db) {
        this.markers = db.getCollection("readMarkers")
                .withWriteConcern(MessageStore.WRITE_CONCERN)
                .withReadConcern(MessageStore.READ_CONCERN);
        this.messages = db.getCollection("messages").withReadConcern(MessageStore.READ_CONCERN);
    }

    /** Creates the index that finds a conversation's markers; idempotent. */
    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        markers.createIndex(Indexes.ascending("conv", "user"), new IndexOptions().name("markers_of_conversation"));
        indexesReady = true;
    }

    /**
     * Checks that a message is in a conversation and that the user received it (was one of its participants):
     * what a read marker may point at.
     *
     * @param userKey      the reader
     * @param conversation the conversation key
     * @param messageId    the message
     * @throws ProtocolException {@code unknown_message}
     */
    void requireReceived(String userKey, String conversation, String messageId) {
        Document found = MessageIds.isValid(messageId)
                ? messages.find(Filters.and(Filters.eq("_id", messageId), Filters.eq("conv", conversation),
                                            Filters.in("participants", userKey, ChatMessage.EVERYONE)))
                        .projection(Projections.include("_id")).first()
                : null;
        if (found == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE,
                                        "There is no message '" + messageId + "' of yours in that conversation.");
        }
    }

    /**
     * Whether a user received any message of a conversation (a former member of a group did).
     *
     * @param userKey      the user
     * @param conversation the conversation key
     * @return true when one of its messages has the user among its participants
     */
    boolean receivedAny(String userKey, String conversation) {
        return messages.find(Filters.and(Filters.eq("conv", conversation), Filters.eq("participants", userKey)))
                .projection(Projections.include("_id")).first() != null;
    }

    /**
     * Moves a user's marker forward (the caller has checked the message with {@link #requireReceived}).
     *
     * @param userKey      the reader
     * @param conversation the conversation key
     * @param upTo         the newest message read
     * @param now          the time
     * @return whether the marker moved (false: it was at or past {@code upTo} already)
     */
    boolean advance(String userKey, String conversation, String upTo, long now) {
        ensureIndexes();
        Bson update = Updates.combine(Updates.max("upTo", upTo), Updates.max("at", now),
                                      Updates.setOnInsert("conv", conversation),
                                      Updates.setOnInsert("user", userKey));
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.BEFORE);
        Document before;
        try {
            before = markers.findOneAndUpdate(Filters.eq("_id", id(conversation, userKey)), update, options);
        } catch (MongoCommandException | MongoWriteException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            // two first markers at once: the other insert won, and this one is an update now
            before = markers.findOneAndUpdate(Filters.eq("_id", id(conversation, userKey)), update, options);
        }
        return before == null || before.getString("upTo").compareTo(upTo) < 0;
    }

    /**
     * A user's marker in a conversation.
     *
     * @param userKey      the user
     * @param conversation the conversation key
     * @return the newest id read, or null
     */
    String marker(String userKey, String conversation) {
        Document found = markers.find(Filters.eq("_id", id(conversation, userKey))).first();
        return found == null ? null : found.getString("upTo");
    }

    /**
     * A user's markers in several conversations (for {@code conversations}).
     *
     * @param userKey       the user
     * @param conversations conversation keys
     * @return the marker of each conversation that has one
     */
    Map<String, String> markers(String userKey, Collection<String> conversations) {
        List<String> ids = conversations.stream().map(c -> id(c, userKey)).toList();
        Map<String, String> result = new HashMap<>();
        for (Document d : markers.find(Filters.in("_id", ids))) {
            result.put(d.getString("conv"), d.getString("upTo"));
        }
        return result;
    }

    /**
     * Several users' markers, each in one conversation (the peers' markers of a user's private conversations).
     *
     * @param userByConversation conversation key to the user key whose marker is wanted
     * @return conversation key to that user's marker, for those that have one
     */
    Map<String, String> markersOf(Map<String, String> userByConversation) {
        Map<String, String> result = new HashMap<>();
        if (userByConversation.isEmpty()) {
            return result;
        }
        List<String> ids = userByConversation.entrySet().stream().map(e -> id(e.getKey(), e.getValue())).toList();
        for (Document d : markers.find(Filters.in("_id", ids))) {
            result.put(d.getString("conv"), d.getString("upTo"));
        }
        return result;
    }

    /**
     * Everyone's markers in a conversation (for a group's "read by N of M", or a private peer's read ticks).
     *
     * @param conversation the conversation key
     * @return user key to newest id read
     */
    Map<String, String> markersOf(String conversation) {
        Map<String, String> result = new HashMap<>();
        for (Document d : markers.find(Filters.eq("conv", conversation))) {
            result.put(d.getString("user"), d.getString("upTo"));
        }
        return result;
    }

    /**
     * The unread count of a conversation for a user: messages after the marker that others sent and the user
     * received, membership events and deleted messages left out; counted up to {@link Groups#UNREAD_CAP}.
     *
     * @param userKey      the user
     * @param conversation the conversation key
     * @param marker       the user's marker, or null (everything is unread)
     * @return the count, at most {@link Groups#UNREAD_CAP} (which means that many or more)
     */
    int unread(String userKey, String conversation, String marker) {
        List<Bson> conditions = new ArrayList<>(List.of(
                Filters.eq("conv", conversation),
                Filters.ne("fromLower", userKey),
                Filters.in("participants", userKey, ChatMessage.EVERYONE),
                Filters.eq("event", null),
                Filters.ne("deleted", true)));
        if (marker != null) {
            conditions.add(Filters.gt("_id", marker));
        }
        return (int) messages.countDocuments(Filters.and(conditions), new CountOptions().limit(Groups.UNREAD_CAP));
    }

    private static String id(String conversation, String userKey) {
        return conversation + " " + userKey;
    }

    private static boolean isDuplicateKey(RuntimeException e) {
        if (e instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return ((MongoCommandException) e).getErrorCode() == 11000;
    }
}
