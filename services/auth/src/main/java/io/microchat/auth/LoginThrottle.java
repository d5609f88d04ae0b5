package io.microchat.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Limits password checks: at most {@code maxFailures} failed attempts within {@code window} per username, and
 * {@code maxFailuresPerAddress} per client address. Further attempts are refused until the oldest failure leaves
 * the window.
 *
 * <p>The count is atomic in MongoDB, so it holds under concurrency and across every auth replica: an attempt
 * <em>reserves</em> its place before the password is checked, with one {@code findOneAndUpdate} on the key's
 * document (collection {@code login_attempts}, {@code _id} {@code user:<name>} or {@code addr:<address>}) that
 * pushes the attempt only when fewer than the limit are inside the window. The document holds the newest
 * {@code max} attempts, sorted, so "fewer than the limit within the window" is "the array is not full, or its
 * oldest entry is outside the window". A successful login gives its place back. Twelve wrong passwords sent at
 * once therefore get at most five checks; the rest are refused without one.
 *
 * <p>The first attempt for a key creates the document by upsert; when two replicas race to create it, or the
 * document exists but is full (an upsert that finds no match then collides on {@code _id}), MongoDB answers with a
 * duplicate key error, and the reservation is decided by reading the document and trying once more.
 */
final class LoginThrottle {

    private static final String COLLECTION = "login_attempts";
    /** Entries are {@code millis * NONCES + nonce}, unique enough that a release removes only its own entry. */
    private static final long NONCES = 1000;
    private static final int ATTEMPTS = 4;
    private static final int DUPLICATE_KEY = 11000;

    private final MongoCollection<Document> attempts;
    private final int maxPerUser;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private volatile boolean indexReady;

    LoginThrottle(MongoDatabase db, int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
        this.attempts = db.getCollection(COLLECTION);
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Reserves one password check for a username from an address.
     *
     * @param usernameLower the lower-cased username
     * @param address       the client's address
     * @return the reservation, to {@link #release} when the password was right
     * @throws Throttled when the username or the address has used up its attempts
     */
    Reservation reserve(String usernameLower, String address) {
        ensureIndex();
        Slot user = take("user:" + usernameLower, maxPerUser, "username");
        try {
            Slot addr = take("addr:" + address, maxPerAddress, "address");
            return new Reservation(List.of(user, addr));
        } catch (Throttled e) {
            give(user);
            throw e;
        }
    }

    /**
     * Gives the places of a successful attempt back: only failures count.
     *
     * @param reservation what {@link #reserve} returned
     */
    void release(Reservation reservation) {
        reservation.slots().forEach(this::give);
    }

    private Slot take(String key, int max, String scope) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = clock.millis();
            long entry = now * NONCES + ThreadLocalRandom.current().nextLong(NONCES);
            Bson room = Filters.and(Filters.eq("_id", key),
                                    Filters.or(Filters.exists("a." + (max - 1), false),
                                               Filters.lt("a.0", outsideWindow(now))));
            Bson push = Updates.combine(
                    Updates.pushEach("a", List.of(entry), new PushOptions().sort(1).slice(-max)),
                    Updates.set("expireAt", new Date(now + window.toMillis())));
            try {
                Document after = attempts.findOneAndUpdate(room, push, new FindOneAndUpdateOptions().upsert(true)
                        .returnDocument(ReturnDocument.AFTER));
                if (after != null) {
                    return new Slot(key, entry);
                }
            } catch (MongoServerException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // the document exists and is full, or another replica created it a moment ago: look
                Document current = attempts.find(Filters.eq("_id", key)).first();
                if (current != null && isFull(current, max, clock.millis())) {
                    throw new Throttled(scope, waitFor(current, clock.millis()));
                }
            }
        }
        throw new Throttled(scope, Duration.ofSeconds(1));
    }

    /** {@code findAndModify} reports a duplicate key as a command error, an insert as a write error. */
    private static boolean isDuplicateKey(MongoServerException e) {
        return e.getCode() == DUPLICATE_KEY
               || e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private void give(Slot slot) {
        attempts.updateOne(Filters.eq("_id", slot.key()), Updates.pull("a", slot.entry()));
    }

    private long outsideWindow(long now) {
        return (now - window.toMillis() + 1) * NONCES;
    }

    private boolean isFull(Document document, int max, long now) {
        List<?> entries = document.getList("a", Object.class, List.of());
        return entries.size() >= max && ((Number) entries.getFirst()).longValue() >= outsideWindow(now);
    }

    private Duration waitFor(Document document, long now) {
        long oldest = ((Number) document.getList("a", Object.class).getFirst()).longValue() / NONCES;
        long millis = oldest + window.toMillis() - now;
        return Duration.ofMillis(Math.max(0, millis));
    }

    private void ensureIndex() {
        if (!indexReady) {
            // TTL: documents of keys nobody tried for a window go away by themselves
            attempts.createIndex(Indexes.ascending("expireAt"),
                                 new IndexOptions().name("expire").expireAfter(0L, java.util.concurrent.TimeUnit.SECONDS));
            indexReady = true;
        }
    }

    /** One reserved place: the key's document and the entry pushed into it. */
    private record Slot(String key, long entry) {
    }

    /**
     * The places one attempt holds.
     *
     * @param slots per username and per address
     */
    record Reservation(List<Slot> slots) {
    }

    /** The limit is used up; {@link #retryAfter()} says for how long. */
    static final class Throttled extends RuntimeException {
        private final String scope;
        private final Duration retryAfter;

        Throttled(String scope, Duration retryAfter) {
            super("too many attempts for this " + scope, null, false, false);
            this.scope = scope;
            this.retryAfter = retryAfter;
        }

        /** {@code username} or {@code address}. */
        String scope() {
            return scope;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }
}
