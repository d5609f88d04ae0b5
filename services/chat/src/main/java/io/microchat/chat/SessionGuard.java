package io.microchat.chat;

import java.io.StringReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.microchat.common.AuthenticatedUser;
import io.microchat.protocol.CloseCode;
import io.microchat.protocol.ErrorCode;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import org.bson.Document;

/**
 * Keeps every connection's session honest: a connection lives only as long as its access token and its session.
 *
 * <ul>
 *   <li><b>On authentication</b> the session of the token ({@code sid}) must exist and not be revoked in MongoDB
 *       (collection {@code sessions}, written by the auth service); else {@code session_revoked}, close
 *       {@value CloseCode#SESSION_REVOKED}. So an instance that missed a revocation never lets the
 *       session back in.</li>
 *   <li><b>Revocations</b> (logout, logout everywhere, password change, refresh reuse) arrive on the Redis channel
 *       {@value Channels#REVOCATIONS}: the connections of those sessions here get {@code session_revoked} and are closed at
 *       once. Because Redis may be down, every {@code sweepInterval} (and when the Redis subscription comes back)
 *       the instance also reads the sessions revoked lately from MongoDB and closes their connections.</li>
 *   <li><b>Expiry</b>: when the access token expires the connection gets {@code token_expired} and close
 *       {@value CloseCode#TOKEN_EXPIRED}, unless the client sent a fresh token first with
 *       {@code reauth}, which moves the expiry without reconnecting.</li>
 * </ul>
 */
final class SessionGuard implements SessionCheck, AutoCloseable {


    private static final Logger LOGGER = Logger.getLogger(SessionGuard.class.getName());
    /** How far back a sweep looks beyond its interval: clock differences between auth and chat pods. */
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MongoCollection<Document> sessions;
    private final Authentication authentication;
    private final ChatMetrics metrics;
    private final LocalConnections connections;
    private final Duration sweepInterval;
    /** The sweep and one expiry timer per connection (kept by the connection); a cancelled one leaves at once. */
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().name("session-guard").daemon().unstarted(r));

    /**
     * A guard; it listens on {@link Channels#REVOCATIONS} from now on, and sweeps from {@link #start}.
     *
     * @param db             the database with the auth service's {@code sessions}
     * @param authentication checks the token of a {@code reauth}
     * @param metrics        metrics
     * @param connections    the connections of this instance
     * @param sweepInterval  how often ended sessions are read back from MongoDB
     * @param bus            pub/sub, for revocations
     */
    SessionGuard(MongoDatabase db, Authentication authentication, ChatMetrics metrics, LocalConnections connections,
                 Duration sweepInterval, PubSub bus) {
        this.sessions = db.getCollection("sessions");
        this.authentication = authentication;
        this.metrics = metrics;
        this.connections = connections;
        this.sweepInterval = sweepInterval;
        timers.setRemoveOnCancelPolicy(true); // else a closed connection stays reachable until its token expires
        bus.handle(Channels.REVOCATIONS, this::onRevocation);
        bus.onResubscribed(this::catchUp);
    }

    /** Starts the sweep. */
    void start() {
        timers.scheduleWithFixedDelay(this::sweepQuietly, sweepInterval.toMillis(), sweepInterval.toMillis(),
                                      TimeUnit.MILLISECONDS);
    }

    /**
     * Lets an authenticated connection in when its session is active, and watches its token's expiry.
     *
     * @param connection the connection
     * @param user       who its token speaks for
     * @return false when the session ended (the connection is told and closed)
     * @throws MongoException when the session cannot be read
     */
    @Override
    public boolean admit(Connection connection, AuthenticatedUser user) {
        if (!isActive(user)) {
            end(connection, "The session of this token has ended (logged out); log in again.", "auth");
            return false;
        }
        watchExpiry(connection, user);
        return true;
    }

    /**
     * A {@code reauth} frame: a fresh access token for the same user on an open connection. A bad token is
     * answered as in {@code auth}.
     *
     * @param connection the connection
     * @param reauth     the command
     */
    @Override
    public void reauthenticate(Connection connection, Command.Reauth reauth) {
        AuthenticatedUser user = authentication.verified(connection, reauth.token());
        if (user == null) {
            return;
        }
        if (!user.userId().equals(connection.user().userId())) {
            authentication.refuse(connection, ErrorCode.INVALID_TOKEN, "The token is for another user.",
                                  CloseCode.UNAUTHORIZED, "token of another user");
            return;
        }
        if (!isActive(user)) {
            end(connection, "The session of this token has ended (logged out); log in again.", "reauth");
            return;
        }
        connection.reauthenticated(user);
        watchExpiry(connection, user);
        connection.send(ServerFrames.reauthenticated(user.expiresAt().toEpochMilli()));
    }

    private boolean isActive(AuthenticatedUser user) {
        if (user.sessionId() == null) {
            return false;
        }
        Document session = sessions.find(Filters.eq("_id", user.sessionId()))
                .projection(Projections.include("revokedAt", "userId")).first();
        return session != null && session.get("revokedAt") == null && user.userId().equals(session.get("userId"));
    }

    private void watchExpiry(Connection connection, AuthenticatedUser user) {
        long untilExpiry = user.expiresAt().toEpochMilli() - System.currentTimeMillis();
        ScheduledFuture<?> expiry = timers.schedule(() -> {
            connection.send(ServerFrames.error(ErrorCode.TOKEN_EXPIRED,
                                               "The access token expired; refresh it and reconnect.", null, null));
            connection.close(CloseCode.TOKEN_EXPIRED, "token expired");
        }, Math.max(0, untilExpiry), TimeUnit.MILLISECONDS);
        connection.expiresWith(expiry);
    }

    /**
     * A message of {@link Channels#REVOCATIONS}: {@code {"userId", "username", "sessions": [...], "reason"}}.
     *
     * @param payload the message
     */
    private void onRevocation(String payload) {
        JsonObject message;
        try (JsonReader reader = Json.createReader(new StringReader(payload))) {
            message = reader.readObject();
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "unreadable revocation: " + e);
            return;
        }
        Set<String> ended = new HashSet<>();
        message.getJsonArray("sessions").getValuesAs(JsonString.class).forEach(s -> ended.add(s.getString()));
        closeSessions(ended, "redis");
    }

    /**
     * Reads the sessions revoked lately from MongoDB and closes their connections here: what a Redis outage may
     * have hidden.
     */
    void sweep() {
        long since = System.currentTimeMillis() - 2 * sweepInterval.toMillis() - SKEW.toMillis();
        Set<String> ended = new HashSet<>();
        sessions.find(Filters.gte("revokedAt", since)).projection(Projections.include("_id"))
                .forEach(d -> ended.add(d.getString("_id")));
        if (!ended.isEmpty()) {
            closeSessions(ended, "sweep");
        }
    }

    /** After the Redis subscription came back: revocations published meanwhile were lost. */
    private void catchUp() {
        timers.execute(this::sweepQuietly);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (MongoException e) {
            metrics.error("mongodb");
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "session sweep failed: " + e);
        }
    }

    private void closeSessions(Set<String> ended, String how) {
        for (Connection connection : connections.all()) {
            AuthenticatedUser user = connection.user();
            if (user != null && user.sessionId() != null && ended.contains(user.sessionId())
                    && !connection.isClosed()) {
                end(connection, "This session was ended (logged out elsewhere, or the password changed); "
                                + "log in again.", how);
            }
        }
    }

    private void end(Connection connection, String message, String how) {
        metrics.sessionClosed(how);
        authentication.refuse(connection, ErrorCode.SESSION_REVOKED, message, CloseCode.SESSION_REVOKED,
                              "session revoked");
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
