package io.microchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Sessions and their refresh tokens, in MongoDB.
 *
 * <p>A <em>session</em> is one login on one device (collection {@code sessions}, {@code _id} the session id that
 * access tokens carry as {@code sid}; with the user, the device, creation, last use, the absolute end, and
 * {@code revokedAt} once ended). Its refresh tokens form one <em>family</em> (collection {@code refresh_tokens}):
 * each is 32 random bytes, given to the client once and stored only as its SHA-256 hash, with the family, the
 * device, its creation, its use ({@code lastUsedAt}, set when it is exchanged) and when it expires (idle time after
 * its creation, never past the session's absolute end).
 *
 * <p>{@link #rotate} exchanges a token for a new one with one atomic {@code findOneAndUpdate} that marks it used
 * only if nobody did: of concurrent refreshes with one token exactly one wins. A token that was used already and
 * comes back is a reuse (RFC 9700: one of its two holders is not its owner) and ends the session, unless it comes
 * back within {@code raceGrace} of its rotation, which is a client's own concurrent refresh (two tabs): that one is
 * refused without ending anything, and the client retries with the newer token.
 */
final class RefreshTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32;

    private final MongoCollection<Document> sessions;
    private final MongoCollection<Document> tokens;
    private final Duration idle;
    private final Duration absolute;
    private final Duration raceGrace;
    private final Clock clock;
    private volatile boolean indexesReady;

    RefreshTokens(MongoDatabase db, Duration idle, Duration absolute, Duration raceGrace, Clock clock) {
        this.sessions = db.getCollection("sessions");
        this.tokens = db.getCollection("refresh_tokens");
        this.idle = idle;
        this.absolute = absolute;
        this.raceGrace = raceGrace;
        this.clock = clock;
    }

    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        tokens.createIndex(Indexes.ascending("family"), new IndexOptions().name("family"));
        tokens.createIndex(Indexes.ascending("userId"), new IndexOptions().name("user"));
        tokens.createIndex(Indexes.ascending("expireAt"), new IndexOptions().name("expire").expireAfter(0L, TimeUnit.SECONDS));
        sessions.createIndex(Indexes.ascending("userId"), new IndexOptions().name("user"));
        sessions.createIndex(Indexes.ascending("revokedAt"), new IndexOptions().name("revoked").sparse(true));
        sessions.createIndex(Indexes.ascending("expireAt"), new IndexOptions().name("expire").expireAfter(0L, TimeUnit.SECONDS));
        indexesReady = true;
    }

    /**
     * Starts a session after a login.
     *
     * @param user   who logged in
     * @param device what the client said it is (or its User-Agent), shortened
     * @return the session and its first refresh token
     */
    Issued start(User user, String device) {
        ensureIndexes();
        Instant now = clock.instant();
        String sessionId = UUID.randomUUID().toString();
        Instant end = now.plus(absolute);
        sessions.insertOne(new Document("_id", sessionId)
                                   .append("userId", user.id())
                                   .append("device", device)
                                   .append("createdAt", now.toEpochMilli())
                                   .append("lastUsedAt", now.toEpochMilli())
                                   .append("absoluteExpiresAt", end.toEpochMilli())
                                   // kept past its end for as long as an access token of it may live
                                   .append("expireAt", Date.from(end.plus(Duration.ofDays(1)))));
        return newToken(sessionId, user.id(), device, now, end);
    }

    /**
     * Exchanges a refresh token for a new one.
     *
     * @param token the token the client presented
     * @return the session and the new token
     * @throws Rejected when the token is unknown, expired, revoked, reused or raced
     */
    Issued rotate(String token) {
        Instant now = clock.instant();
        String hash = hash(token);
        // an expired token is never marked used: presented again, it is expired again, not a reuse
        Document used = tokens.findOneAndUpdate(Filters.and(Filters.eq("_id", hash), Filters.eq("lastUsedAt", null),
                                                            Filters.gt("expiresAt", now.toEpochMilli())),
                                                Updates.set("lastUsedAt", now.toEpochMilli()),
                                                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (used == null) {
            throw rejectUsed(hash, now);
        }
        String sessionId = used.getString("family");
        Document session = sessions.findOneAndUpdate(Filters.and(Filters.eq("_id", sessionId),
                                                                 Filters.eq("revokedAt", null)),
                                                     Updates.set("lastUsedAt", now.toEpochMilli()));
        if (session == null) {
            throw new Rejected(Rejected.Reason.REVOKED, sessionId, used.getString("userId"));
        }
        Instant end = Instant.ofEpochMilli(session.getLong("absoluteExpiresAt"));
        if (!end.isAfter(now)) {
            throw new Rejected(Rejected.Reason.EXPIRED, sessionId, used.getString("userId"));
        }
        return newToken(sessionId, used.getString("userId"), used.getString("device"), now, end);
    }

    private Rejected rejectUsed(String hash, Instant now) {
        Document known = tokens.find(Filters.eq("_id", hash)).first();
        if (known == null) {
            return new Rejected(Rejected.Reason.UNKNOWN, null, null);
        }
        String sessionId = known.getString("family");
        String userId = known.getString("userId");
        if (known.getLong("expiresAt") <= now.toEpochMilli()) {
            // MongoDB's TTL monitor deletes it within a minute; until then it is as expired as after
            return new Rejected(Rejected.Reason.EXPIRED, sessionId, userId);
        }
        long usedAt = known.getLong("lastUsedAt");
        if (now.toEpochMilli() - usedAt <= raceGrace.toMillis() && isActive(sessionId)) {
            return new Rejected(Rejected.Reason.RACED, sessionId, userId);
        }
        boolean ended = revoke(Filters.eq("_id", sessionId), "refresh_reuse").contains(sessionId);
        return new Rejected(ended ? Rejected.Reason.REUSED : Rejected.Reason.REVOKED, sessionId, userId);
    }

    /**
     * The session a refresh token belongs to, whatever its state (for logout).
     *
     * @param token the token
     * @return the session id and user id, if the token is known
     */
    Optional<Issued> sessionOf(String token) {
        Document known = tokens.find(Filters.eq("_id", hash(token))).first();
        return Optional.ofNullable(known).map(d -> new Issued(d.getString("family"), d.getString("userId"), null, null));
    }

    /**
     * Whether a session exists and is not revoked.
     *
     * @param sessionId the session id
     * @return true while it is
     */
    boolean isActive(String sessionId) {
        return sessions.find(Filters.and(Filters.eq("_id", sessionId), Filters.eq("revokedAt", null))).first() != null;
    }

    /**
     * Ends one session: its refresh tokens stop working, and its access tokens are refused by every service that
     * checks the session (the chat instances).
     *
     * @param sessionId the session
     * @param reason    why, for the record
     * @return true when it was active until now
     */
    boolean revokeSession(String sessionId, String reason) {
        return !revoke(Filters.eq("_id", sessionId), reason).isEmpty();
    }

    /**
     * Ends every session of a user, except one.
     *
     * @param userId the user
     * @param keep   the session to keep, or null
     * @param reason why
     * @return the sessions ended
     */
    List<String> revokeAll(String userId, String keep, String reason) {
        Bson which = keep == null ? Filters.eq("userId", userId)
                : Filters.and(Filters.eq("userId", userId), Filters.ne("_id", keep));
        return revoke(which, reason);
    }

    /**
     * Marks the matching active sessions revoked with a mark of this call, reads back which ones it marked (so a
     * concurrent revocation is not reported twice), and deletes their refresh tokens.
     */
    private List<String> revoke(Bson which, String reason) {
        String mark = UUID.randomUUID().toString();
        long now = clock.millis();
        sessions.updateMany(Filters.and(which, Filters.eq("revokedAt", null)),
                            Updates.combine(Updates.set("revokedAt", now), Updates.set("revokedReason", reason),
                                            Updates.set("revocation", mark)));
        List<String> ended = new ArrayList<>();
        sessions.find(Filters.eq("revocation", mark)).forEach(d -> ended.add(d.getString("_id")));
        if (!ended.isEmpty()) {
            tokens.deleteMany(Filters.in("family", ended));
        }
        return ended;
    }

    private Issued newToken(String sessionId, String userId, String device, Instant now, Instant sessionEnd) {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = now.plus(idle).isBefore(sessionEnd) ? now.plus(idle) : sessionEnd;
        tokens.insertOne(new Document("_id", hash(token))
                                 .append("family", sessionId)
                                 .append("userId", userId)
                                 .append("device", device)
                                 .append("createdAt", now.toEpochMilli())
                                 .append("lastUsedAt", null)
                                 .append("expiresAt", expires.toEpochMilli())
                                 .append("expireAt", Date.from(expires)));
        return new Issued(sessionId, userId, token, expires);
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A session with a new refresh token.
     *
     * @param sessionId the session (the access token's {@code sid})
     * @param userId    whose it is
     * @param token     the new refresh token, or null when none was issued
     * @param expiresAt when that token expires, or null
     */
    record Issued(String sessionId, String userId, String token, Instant expiresAt) {
    }

    /** A refresh token that was not accepted, and why. */
    static final class Rejected extends RuntimeException {
        enum Reason {
            /** Never issued, or cleaned up after it expired. */
            UNKNOWN,
            /** Past its idle time or its session's absolute end. */
            EXPIRED,
            /** Its session ended (logout, logout everywhere, password change, an earlier reuse). */
            REVOKED,
            /** Used already, and not moments ago: the session is now revoked. */
            REUSED,
            /** Used moments ago by a concurrent refresh; nothing ended. */
            RACED
        }

        private final Reason reason;
        private final String sessionId;
        private final String userId;

        Rejected(Reason reason, String sessionId, String userId) {
            super(reason.name(), null, false, false);
            this.reason = reason;
            this.sessionId = sessionId;
            this.userId = userId;
        }

        Reason reason() {
            return reason;
        }

        String sessionId() {
            return sessionId;
        }

        String userId() {
            return userId;
        }
    }
}
