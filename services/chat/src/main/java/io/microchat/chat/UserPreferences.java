package io.microchat.chat;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What the chat service keeps about a user, collection {@code userPreferences}, one document per user keyed by the
 * lower-case username: the settings ({@code readReceipts}, {@code showLastSeen}, both on unless stored off) and
 * {@code lastSeen}, when the user's last connection on every instance ended (docs/protocol.md, "Settings" and
 * "Last seen").
 *
 * <p>A collection of its own rather than fields on {@code users}: that collection belongs to the auth service,
 * and the chat service only reads it.
 */
final class UserPreferences implements UserSettings.Store {

    private final MongoCollection<Document> preferences;

    UserPreferences(MongoDatabase db) {
        this.preferences = db.getCollection("userPreferences")
                .withWriteConcern(MessageStore.WRITE_CONCERN)
                .withReadConcern(MessageStore.READ_CONCERN);
    }

    /**
     * A user's settings.
     *
     * @param userKey the user
     * @return the settings, the defaults when none were stored
     */
    @Override
    public Settings settings(String userKey) {
        return settings(preferences.find(Filters.eq("_id", userKey)).first());
    }

    /**
     * Several users' settings (to filter read receipts and markers).
     *
     * @param userKeys the users
     * @return the settings of each user, the defaults for those with none stored
     */
    Map<String, Settings> settings(Collection<String> userKeys) {
        Map<String, Settings> result = new HashMap<>();
        for (String key : userKeys) {
            result.put(key, Settings.DEFAULT);
        }
        for (Document d : preferences.find(Filters.in("_id", userKeys))) {
            result.put(d.getString("_id"), settings(d));
        }
        return result;
    }

    /**
     * Changes a user's settings.
     *
     * @param userKey      the user
     * @param readReceipts the new value, or null to keep it
     * @param showLastSeen the new value, or null to keep it
     * @return the settings after the change
     */
    @Override
    public Settings update(String userKey, Boolean readReceipts, Boolean showLastSeen) {
        Bson update = Updates.combine(
                readReceipts == null ? Updates.setOnInsert("readReceipts", true)
                        : Updates.set("readReceipts", readReceipts),
                showLastSeen == null ? Updates.setOnInsert("showLastSeen", true)
                        : Updates.set("showLastSeen", showLastSeen));
        return settings(preferences.findOneAndUpdate(Filters.eq("_id", userKey), update,
                                                     new FindOneAndUpdateOptions().upsert(true)
                                                             .returnDocument(ReturnDocument.AFTER)));
    }

    /**
     * Records when a user went offline; a later time wins over an earlier one whatever the order the instances
     * write in.
     *
     * @param userKey the user
     * @param at      when their last connection ended, epoch milliseconds
     */
    void recordLastSeen(String userKey, long at) {
        preferences.updateOne(Filters.eq("_id", userKey), Updates.max("lastSeen", at),
                              new UpdateOptions().upsert(true));
    }

    /**
     * Records when several users went offline, in one round trip (a drained instance's users all go at once).
     *
     * @param userKeys the users
     * @param at       when, epoch milliseconds
     */
    void recordLastSeen(Collection<String> userKeys, long at) {
        if (userKeys.isEmpty()) {
            return;
        }
        List<UpdateOneModel<Document>> updates = userKeys.stream().map(key -> new UpdateOneModel<Document>(
                Filters.eq("_id", key), Updates.max("lastSeen", at), new UpdateOptions().upsert(true))).toList();
        preferences.bulkWrite(updates, new BulkWriteOptions().ordered(false));
    }

    /**
     * When users were last online, for those who show it.
     *
     * @param userKeys the users (offline ones: the caller knows who is online)
     * @return the last seen time of each user who has one and shows it
     */
    Map<String, Long> visibleLastSeen(Collection<String> userKeys) {
        Map<String, Long> result = new HashMap<>();
        for (Document d : preferences.find(Filters.and(Filters.in("_id", userKeys), Filters.ne("showLastSeen", false),
                                                       Filters.exists("lastSeen")))) {
            result.put(d.getString("_id"), ((Number) d.get("lastSeen")).longValue());
        }
        return result;
    }

    private static Settings settings(Document d) {
        if (d == null) {
            return Settings.DEFAULT;
        }
        return new Settings(!Boolean.FALSE.equals(d.getBoolean("readReceipts")),
                            !Boolean.FALSE.equals(d.getBoolean("showLastSeen")));
    }

    /**
     * A user's settings.
     *
     * @param readReceipts whether the user sends and sees read receipts
     * @param showLastSeen whether others see when the user was last online
     */
    record Settings(boolean readReceipts, boolean showLastSeen) {

        static final Settings DEFAULT = new Settings(true, true);
    }
}
