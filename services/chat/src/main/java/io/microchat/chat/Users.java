package io.microchat.chat;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.bson.Document;

/**
 * Whether a username is registered, read from the auth service's {@code users} collection and cached: names
 * that exist for ten minutes (users are never renamed), names that do not for five seconds (so a user who just
 * registered can be messaged at once).
 */
final class Users implements UserDirectory {

    private static final long FOUND_TTL_MILLIS = 600_000;
    private static final long MISSING_TTL_MILLIS = 5_000;
    private static final int MAX_CACHED = 200_000;

    private final MongoCollection<Document> users;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    Users(MongoDatabase db) {
        this.users = db.getCollection("users");
    }

    static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /**
     * The registered spelling of a username.
     *
     * @param username a username in any case
     * @return the name as registered, or empty when nobody has it
     * @throws com.mongodb.MongoException when MongoDB cannot be asked
     */
    @Override
    public Optional<String> registeredName(String username) {
        String key = key(username);
        long now = System.currentTimeMillis();
        Entry cached = cache.get(key);
        if (cached != null && cached.expiresAt > now) {
            return Optional.ofNullable(cached.name);
        }
        Document found = users.find(Filters.eq("usernameLower", key))
                .projection(Projections.include("username")).first();
        String name = found == null ? null : found.getString("username");
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Entry(name, now + (name == null ? MISSING_TTL_MILLIS : FOUND_TTL_MILLIS)));
        return Optional.ofNullable(name);
    }

    private record Entry(String name, long expiresAt) {
    }
}
