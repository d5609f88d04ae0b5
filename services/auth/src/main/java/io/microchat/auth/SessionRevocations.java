package io.microchat.auth;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.microchat.common.ServiceChannels;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import redis.clients.jedis.Jedis;

/**
 * Tells the chat instances that sessions ended, so that they close those sessions' WebSockets within moments:
 * one message on the Redis channel {@value #CHANNEL},
 * {@code {"userId": ..., "username": ..., "sessions": [sid, ...], "reason": ...}}.
 *
 * <p>This is the fast path only. The sessions are marked revoked in MongoDB first, and chat instances check that
 * on every authentication and sweep recent revocations from MongoDB periodically and after their Redis
 * subscription comes back, so an instance that missed this message (Redis down, instance restarting) still
 * refuses the session's access tokens and closes its sockets. Publishing happens off the request thread; a
 * failure is logged and otherwise ignored.
 */
final class SessionRevocations implements AutoCloseable {

    static final String CHANNEL = ServiceChannels.SESSION_REVOCATIONS;
    private static final Logger LOGGER = Logger.getLogger(SessionRevocations.class.getName());
    private static final int TIMEOUT_MILLIS = 2_000;

    private final URI redisUrl;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("revocation-publisher").daemon().unstarted(r));
    private Jedis connection;

    SessionRevocations(URI redisUrl) {
        this.redisUrl = redisUrl;
    }

    /**
     * Announces ended sessions.
     *
     * @param userId   whose
     * @param username their name
     * @param sessions the session ids
     * @param reason   why ({@code logout}, {@code logout_everywhere}, {@code password_change}, {@code refresh_reuse})
     */
    void announce(String userId, String username, List<String> sessions, String reason) {
        if (sessions.isEmpty()) {
            return;
        }
        JsonArrayBuilder ids = Json.createArrayBuilder();
        sessions.forEach(ids::add);
        String payload = Json.createObjectBuilder().add("userId", userId).add("username", username)
                .add("sessions", ids).add("reason", reason).build().toString();
        publisher.execute(() -> publish(payload));
    }

    private void publish(String payload) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (connection == null) {
                    connection = new Jedis(redisUrl, TIMEOUT_MILLIS, TIMEOUT_MILLIS);
                }
                connection.publish(CHANNEL, payload);
                return;
            } catch (RuntimeException e) {
                closeConnection();
                if (attempt == 1) {
                    LOGGER.warning(() -> "revocation not announced on Redis (chat instances find it in MongoDB "
                                         + "within their sweep interval): " + e.getMessage());
                }
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    /**
     * Waits until what was announced so far has been published (tests, shutdown).
     *
     * @param timeoutMillis the longest wait
     */
    void awaitPublished(long timeoutMillis) {
        try {
            publisher.submit(() -> { }).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        publisher.shutdown();
        try {
            publisher.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
