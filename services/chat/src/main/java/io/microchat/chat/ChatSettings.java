package io.microchat.chat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Every setting of a chat instance, read in one place from the {@code app} node of the configuration. The values,
 * with what each means, are in {@code application.yaml} (the only place with defaults; environment variables
 * override keys): a key missing there fails the start with its name.
 *
 * @param instanceId     unique per instance: {@code app.instance-id}, else {@code HOSTNAME}, else random
 * @param redisUrl       Redis, for pub/sub and presence
 * @param publicAuthUrl  where browsers reach the auth API, empty for the same origin
 * @param jwt            how access tokens are checked
 * @param allowedOrigins browser origins allowed to open a WebSocket, besides the page's own
 * @param limits         what a client and the instance may do
 * @param replay         what a replay sends
 * @param presence       how presence is kept
 * @param sessionsSweep  how often ended sessions are read back from MongoDB
 * @param drainTimeout   how long a shutdown may take to drain
 * @param groups         group limits
 * @param messages       what may be done to sent messages
 */
record ChatSettings(String instanceId, URI redisUrl, String publicAuthUrl, Jwt jwt, Set<String> allowedOrigins,
                    Limits limits, Replay replay, Presence presence, Duration sessionsSweep, Duration drainTimeout,
                    GroupLimits groups, Messages messages) {

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,63}");

    /**
     * Reads the settings.
     *
     * @param app the {@code app} node
     * @return the settings
     * @throws IllegalStateException when a key is missing or the instance id is not valid
     */
    static ChatSettings from(Config app) {
        Config jwt = app.get("jwt");
        Config limits = app.get("limits");
        return new ChatSettings(
                instanceId(app.get("instance-id")),
                URI.create(string(app.get("redis.url"))),
                string(app.get("public-auth-url")),
                new Jwt(URI.create(string(jwt.get("jwks-url"))), duration(jwt.get("jwks-refetch-interval")),
                        string(jwt.get("issuer")), string(jwt.get("audience"))),
                Set.copyOf(origins(app.get("allowed-origins"))),
                new Limits(integer(limits.get("max-text-length")), integer(limits.get("max-frame-bytes")),
                           integer(limits.get("messages-per-second")), integer(limits.get("burst")),
                           duration(limits.get("auth-timeout")), whole(limits.get("outbox-bytes")),
                           whole(limits.get("user-outbox-bytes")), whole(limits.get("instance-outbox-bytes")),
                           integer(limits.get("send-queue")), duration(limits.get("send-queue-max-age")),
                           integer(limits.get("publish-backlog"))),
                new Replay(duration(app.get("replay.overlap")), integer(app.get("replay.limit"))),
                new Presence(duration(app.get("presence.heartbeat")), duration(app.get("presence.instance-timeout"))),
                duration(app.get("sessions.sweep")),
                duration(app.get("drain-timeout")),
                new GroupLimits(integer(app.get("groups.max-members"))),
                new Messages(duration(app.get("messages.edit-window"))));
    }

    /**
     * How access tokens are checked ({@code app.jwt}).
     *
     * @param jwksUrl          the auth service's public keys
     * @param refetchInterval  how often an unknown key id may trigger a new fetch
     * @param issuer           the tokens' issuer
     * @param audience         the tokens' audience
     */
    record Jwt(URI jwksUrl, Duration refetchInterval, String issuer, String audience) {
    }

    /**
     * What a client and the instance may do ({@code app.limits}; docs/protocol.md, "Limits").
     *
     * @param maxTextLength       most characters in one message's text
     * @param maxFrameBytes       largest client message, in UTF-8 bytes
     * @param messagesPerSecond   sends a user may make per second, over all their connections and instances
     * @param burst               sends a user may save up
     * @param authTimeout         how long a new connection has to authenticate
     * @param outboxBytes         bytes one connection's outbox may hold before it is closed as too slow
     * @param userOutboxBytes     bytes one user's connections on an instance may hold together
     * @param instanceOutboxBytes bytes all outboxes may hold before history and conversation requests wait
     * @param sendQueue           sends waiting to be stored past which senders are told {@code overloaded}
     * @param sendQueueMaxAge     how long the oldest may wait before the same
     * @param publishBacklog      publications waiting for Redis past which sends are refused too
     */
    record Limits(int maxTextLength, int maxFrameBytes, int messagesPerSecond, int burst, Duration authTimeout,
                  long outboxBytes, long userOutboxBytes, long instanceOutboxBytes, int sendQueue,
                  Duration sendQueueMaxAge, int publishBacklog) {

        /**
         * The outbox budgets of an instance.
         *
         * @return new budgets, nothing charged
         */
        OutboxBudgets budgets() {
            return new OutboxBudgets(outboxBytes, userOutboxBytes, instanceOutboxBytes);
        }

        /**
         * The bound of the send queue.
         *
         * @return the bound
         */
        QueueBound sendQueueBound() {
            return new QueueBound(sendQueue, sendQueueMaxAge.toMillis());
        }
    }

    /**
     * What a replay sends ({@code app.replay}).
     *
     * @param overlap how far before the client's last message id a replay starts (clock skew between pods)
     * @param limit   most messages one replay sends; the rest come through history
     */
    record Replay(Duration overlap, int limit) {
    }

    /**
     * How presence is kept ({@code app.presence}; see {@link io.microchat.chat.Presence}).
     *
     * @param heartbeat       how often an instance refreshes its presence in Redis
     * @param instanceTimeout how long an instance that stopped beating still counts
     */
    record Presence(Duration heartbeat, Duration instanceTimeout) {
    }

    /**
     * What may be done to sent messages ({@code app.messages}; docs/protocol.md, "Editing and deleting").
     *
     * @param editWindow how long after it was sent its sender may edit a message
     */
    record Messages(Duration editWindow) {
    }

    private static String instanceId(Config node) {
        String id = node.asString().filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()))
                .orElseGet(() -> "chat-" + UUID.randomUUID().toString().substring(0, 8));
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("app.instance-id must be 1-63 of [A-Za-z0-9._-], not '" + id + "'");
        }
        return id;
    }

    private static List<String> origins(Config node) {
        if (node.isList()) {
            return node.asList(String.class).orElse(List.of());
        }
        return List.of(string(node).split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList();
    }

    private static String string(Config node) {
        return node.asString().orElseThrow(() -> missing(node));
    }

    private static int integer(Config node) {
        return node.asInt().orElseThrow(() -> missing(node));
    }

    private static long whole(Config node) {
        return node.asLong().orElseThrow(() -> missing(node));
    }

    private static Duration duration(Config node) {
        return node.as(Duration.class).orElseThrow(() -> missing(node));
    }

    private static IllegalStateException missing(Config node) {
        return new IllegalStateException("The configuration key '" + node.key()
                                         + "' is missing (application.yaml sets it; was it removed?)");
    }

    /**
     * Groups ({@code app.groups}; docs/protocol.md, "Groups").
     *
     * @param maxMembers most members of a group, the creator included
     */
    record GroupLimits(int maxMembers) {
    }
}
