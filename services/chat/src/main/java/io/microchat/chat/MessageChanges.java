package io.microchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.microchat.protocol.ErrorCode;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Edits and deletes of stored messages, on the {@code messages} collection (docs/protocol.md, "Editing and
 * deleting").
 *
 * <p>An edit sets {@code text}, {@code edited} (its time) and {@code rev}; a delete sets {@code text} to the empty
 * string, {@code deleted: true} and {@code rev}, and removes {@code edited}: the original text is not kept.
 * {@code rev} is a new id from the instance's {@link MessageIds}, so changes sort by time like messages, and a
 * replay after {@code resumeAfter} finds the changes made since with the {@code changes} index
 * ({@code participants, rev}).
 *
 * <p>Each change is one conditional update: it matches only the sender's own message, not a membership event, not
 * deleted, and for an edit still within the edit window; when it does not match, the message is read to say why.
 * Group membership of the sender (a member removed from a group no longer edits there) is the caller's check,
 * with {@link #target} first.
 */
final class MessageChanges {

    private final MongoCollection<Document> messages;
    private final MessageIds ids;
    private final Duration editWindow;
    private volatile boolean indexesReady;

    /**
     * Changes.
     *
     * @param db         the database
     * @param ids        the instance's id generator (the one messages get their ids from)
     * @param editWindow how long after sending a message may be edited ({@code app.messages.edit-window})
     */
    MessageChanges(MongoDatabase db, MessageIds ids, Duration editWindow) {
        this.messages = db.getCollection("messages")
                .withWriteConcern(MessageStore.WRITE_CONCERN)
                .withReadConcern(MessageStore.READ_CONCERN);
        this.ids = ids;
        this.editWindow = editWindow;
    }

    /** Creates the index replay finds changes with; idempotent. */
    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        // partial: only changed messages have a rev, and only they belong in it (a sparse compound index would
        // hold every message, since every message has participants)
        messages.createIndex(Indexes.ascending("participants", "rev"),
                             new IndexOptions().name("changes")
                                     .partialFilterExpression(Filters.exists("rev")));
        indexesReady = true;
    }

    /**
     * The message a user means to edit or delete, checked to be theirs: for the caller to check, before the
     * change, that the sender may still write to its conversation (a group they are a member of).
     *
     * @param userKey the user
     * @param id      the message id
     * @return the message as it is now
     * @throws ProtocolException {@code unknown_message}, {@code not_your_message}, {@code invalid_field} (a
     *                           membership event)
     */
    Change target(String userKey, String id) {
        Document message = visible(userKey, id);
        // an event first: nobody may change one, whoever made it
        if (message.get("event") != null) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "Membership changes cannot be edited or deleted.");
        }
        if (!userKey.equals(message.getString("fromLower"))) {
            throw new ProtocolException(ErrorCode.NOT_YOUR_MESSAGE, "Only its sender can change a message.");
        }
        return change(message);
    }

    /**
     * Edits a message.
     *
     * @param userKey the sender
     * @param id      the message id
     * @param text    the new text (validated by the caller)
     * @param now     the time
     * @return the message after the edit
     * @throws ProtocolException {@code unknown_message}, {@code not_your_message}, {@code invalid_field},
     *                           {@code message_deleted}, {@code edit_window_passed}
     */
    Change edit(String userKey, String id, String text, long now) {
        ensureIndexes();
        long oldest = now - editWindow.toMillis();
        // twice at most: when the update did not match but the message looks editable, a concurrent change was
        // decided in between, and the second round says which
        for (int attempt = 0; attempt < 2; attempt++) {
            Document after = messages.findOneAndUpdate(
                    Filters.and(mine(userKey, id), Filters.ne("deleted", true), Filters.gte("ts", oldest)),
                    Updates.combine(Updates.set("text", text), Updates.set("edited", now),
                                    Updates.set("rev", ids.next(now))),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (after != null) {
                return change(after);
            }
            Change current = target(userKey, id);
            if (current.deleted()) {
                throw new ProtocolException(ErrorCode.MESSAGE_DELETED, "That message was deleted.");
            }
            if (current.ts() < oldest) {
                throw new ProtocolException(ErrorCode.EDIT_WINDOW_PASSED, "Messages can be edited for "
                        + editWindow.toMinutes() + " minutes after they were sent.");
            }
        }
        throw new IllegalStateException("message " + id + " could not be edited");
    }

    /**
     * Deletes a message: its text is removed from storage. Deleting a deleted message answers with it as it is
     * (a retry after a lost answer).
     *
     * @param userKey the sender
     * @param id      the message id
     * @param now     the time
     * @return the message after the delete
     * @throws ProtocolException {@code unknown_message}, {@code not_your_message}, {@code invalid_field}
     */
    Change delete(String userKey, String id, long now) {
        ensureIndexes();
        Document after = messages.findOneAndUpdate(
                Filters.and(mine(userKey, id), Filters.ne("deleted", true)),
                Updates.combine(Updates.set("text", ""), Updates.set("deleted", true), Updates.unset("edited"),
                                Updates.set("rev", ids.next(now))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (after != null) {
            return change(after);
        }
        Change current = target(userKey, id);
        if (current.deleted()) {
            return current;
        }
        throw new IllegalStateException("message " + id + " could not be deleted");
    }

    /**
     * The changes made to messages a user received since a point, the newest {@code limit} of them, oldest change
     * first: what a replay after {@code resumeAfter} sends after the missed messages.
     *
     * @param userKey  the user
     * @param afterRev only changes with a larger {@code rev} (the replay's starting id)
     * @param limit    most changes
     * @return the changed messages as they are now, by {@code rev}
     */
    List<Change> since(String userKey, String afterRev, int limit) {
        return since(userKey, afterRev, limit, group -> true);
    }

    /**
     * The changes since a point as {@link #since(String, String, int)}, without those a former member of a group
     * may not see: a change of a group the user is no longer a member of made after the last message of the group
     * they received (their removal or leave).
     *
     * @param userKey  the user
     * @param afterRev only changes with a larger {@code rev}
     * @param limit    most changes
     * @param isMember whether the user is a member of a group now
     * @return the changes, by {@code rev}
     */
    List<Change> since(String userKey, String afterRev, int limit, Predicate<String> isMember) {
        List<Change> newest = messages.find(Filters.and(Filters.in("participants", userKey, ChatMessage.EVERYONE),
                                                        Filters.gt("rev", afterRev)))
                .sort(Sorts.descending("rev")).limit(limit).map(MessageChanges::change).into(new ArrayList<>());
        Map<String, Boolean> member = new HashMap<>();
        Map<String, String> lastReceived = new HashMap<>();
        newest.removeIf(change -> {
            if (change.group() == null || member.computeIfAbsent(change.group(), isMember::test)) {
                return false;
            }
            String last = lastReceived.computeIfAbsent(change.conversation(), conv -> lastReceived(userKey, conv));
            return change.rev().compareTo(last) > 0;
        });
        Collections.reverse(newest);
        return newest;
    }

    /**
     * The id of the newest message of a conversation that a user received ({@code ""} when none): for a former
     * member of a group, the last one before they left.
     *
     * @param userKey      the user
     * @param conversation the conversation key
     * @return the id, or the empty string
     */
    String lastReceived(String userKey, String conversation) {
        Document last = messages.find(Filters.and(Filters.eq("conv", conversation),
                                                  Filters.eq("participants", userKey)))
                .sort(Sorts.descending("_id")).projection(Projections.include("_id")).first();
        return last == null ? "" : last.getString("_id");
    }

    private static Bson mine(String userKey, String id) {
        return Filters.and(Filters.eq("_id", id), Filters.eq("fromLower", userKey), Filters.eq("event", null));
    }

    private Document visible(String userKey, String id) {
        Document message = MessageIds.isValid(id)
                ? messages.find(Filters.and(Filters.eq("_id", id),
                                            Filters.in("participants", userKey, ChatMessage.EVERYONE))).first()
                : null;
        if (message == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, "There is no message '" + id + "'.");
        }
        return message;
    }

    private static Change change(Document d) {
        Object edited = d.get("edited");
        return new Change(d.getString("_id"), d.getString("conv"), d.getString("from"), d.getString("to"),
                          d.getString("room"), d.getString("group"), d.getList("participants", String.class),
                          ((Number) d.get("ts")).longValue(), d.getString("text"),
                          edited == null ? null : ((Number) edited).longValue(),
                          Boolean.TRUE.equals(d.getBoolean("deleted")), d.getString("rev"));
    }

    /**
     * A message as a change shows it (the {@code edited} and {@code deleted} frames, and who gets them).
     *
     * @param id           the message id
     * @param conversation its conversation key
     * @param from         the sender
     * @param to           the recipient of a private message, else null
     * @param room         the room of a broadcast, else null
     * @param group        the group of a group message, else null
     * @param participants who gets the change: the message's participants ({@code *}: everyone)
     * @param ts           when it was sent
     * @param text         the text now (empty when deleted)
     * @param editedAt     when it was last edited, or null
     * @param deleted      whether it was deleted
     * @param rev          the id of its latest change, or null when it never changed
     */
    record Change(String id, String conversation, String from, String to, String room, String group,
                  List<String> participants, long ts, String text, Long editedAt, boolean deleted, String rev) {

        /**
         * The change told to some of its participants only (a group's members now, not those removed since).
         *
         * @param keys the participants to tell
         * @return the change with those participants
         */
        Change toOnly(Collection<String> keys) {
            return new Change(id, conversation, from, to, room, group,
                              participants.stream().filter(keys::contains).toList(), ts, text, editedAt, deleted, rev);
        }
    }
}
