package io.microchat.auth;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * Users in MongoDB, collection {@code users}, unique by lower-cased username. Reads and writes go through
 * Helidon's DbClient with the named statements of {@code application.yaml}; index creation, which DbClient
 * statements do not express, through the driver it wraps.
 */
final class UserStore {

    private final DbClient db;
    private volatile boolean indexesReady;

    UserStore(DbClient db) {
        this.db = db;
    }

    /**
     * Creates the indexes the store relies on; idempotent, and retried on the next write when MongoDB was away.
     */
    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        MongoDatabase mongo = db.unwrap(MongoDatabase.class);
        mongo.getCollection("users").createIndex(Indexes.ascending("usernameLower"),
                                                 new IndexOptions().unique(true).name("username_unique"));
        indexesReady = true;
    }

    /**
     * Stores a new user.
     *
     * @param username     the name as chosen
     * @param passwordHash the encoded hash
     * @return the user
     * @throws UsernameTakenException when the name exists in any case
     */
    User create(String username, String passwordHash) {
        ensureIndexes();
        User user = new User(UUID.randomUUID().toString(), username, Instant.now());
        try {
            db.execute().createNamedInsert("insert-user")
                    .addParam("id", user.id())
                    .addParam("username", username)
                    .addParam("usernameLower", lower(username))
                    .addParam("passwordHash", passwordHash)
                    .addParam("createdAt", user.createdAt().toEpochMilli())
                    .execute();
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                throw new UsernameTakenException();
            }
            throw e;
        }
        return user;
    }

    /**
     * A user and the stored hash, by name in any case.
     *
     * @param username the name
     * @return the user with their hash, if registered
     */
    Optional<StoredUser> findByUsername(String username) {
        return db.execute().createNamedGet("find-user-by-name")
                .addParam("usernameLower", lower(username))
                .execute()
                .map(UserStore::stored);
    }

    /**
     * A user by id.
     *
     * @param id the id
     * @return the user, if registered
     */
    Optional<User> findById(String id) {
        return db.execute().createNamedGet("find-user-by-id")
                .addParam("id", id)
                .execute()
                .map(row -> stored(row).user());
    }

    /**
     * Replaces a user's password hash.
     *
     * @param id           the user id
     * @param passwordHash the new encoded hash
     */
    void updatePasswordHash(String id, String passwordHash) {
        db.unwrap(MongoDatabase.class).getCollection("users")
                .updateOne(com.mongodb.client.model.Filters.eq("_id", id),
                           com.mongodb.client.model.Updates.set("passwordHash", passwordHash));
    }

    /**
     * Whether a user's password hash is still the one given (a password change replaces it).
     *
     * @param id           the user id
     * @param passwordHash the encoded hash a password was checked against
     * @return false once it was replaced
     */
    boolean hasPasswordHash(String id, String passwordHash) {
        return db.unwrap(MongoDatabase.class).getCollection("users")
                .countDocuments(com.mongodb.client.model.Filters.and(
                        com.mongodb.client.model.Filters.eq("_id", id),
                        com.mongodb.client.model.Filters.eq("passwordHash", passwordHash))) > 0;
    }

    static String lower(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static StoredUser stored(DbRow row) {
        User user = new User(row.column("_id").get(String.class),
                             row.column("username").get(String.class),
                             Instant.ofEpochMilli(row.column("createdAt").get(Long.class)));
        return new StoredUser(user, row.column("passwordHash").get(String.class));
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }

    /**
     * A user with the password hash, for login only.
     *
     * @param user         the user
     * @param passwordHash the encoded hash
     */
    record StoredUser(User user, String passwordHash) {
    }

    /** The username exists already (in any case). */
    static final class UsernameTakenException extends RuntimeException {
        UsernameTakenException() {
            super("username taken", null, false, false);
        }
    }
}
