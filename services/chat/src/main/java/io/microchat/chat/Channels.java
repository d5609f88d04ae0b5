package io.microchat.chat;

import io.microchat.common.ServiceChannels;
import io.microchat.protocol.Rooms;

/**
 * The Redis pub/sub channels of the chat service, all of them: who publishes on each, who listens, and what
 * travels on it. Nothing else spells a channel name (the one shared with the auth service is spelled in
 * {@link ServiceChannels}).
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>channel</th><th>published by</th><th>handled by</th><th>payload</th></tr>
 *   <tr><td>{@code chat:user:<user key>}</td><td>{@link Delivery} (messages to and from the user, receipts, edits and
 *       deletes; read markers, read receipts, typing and settings through {@link Delivery#toUser})</td>
 *       <td>{@link Delivery}, on instances where the user has connections</td><td>{@link Envelope}</td></tr>
 *   <tr><td>{@code chat:room:all}</td><td>{@link Delivery} (room messages, their edits and deletes)</td>
 *       <td>{@link Delivery}, every instance</td><td>{@link Envelope}</td></tr>
 *   <tr><td>{@code chat:presence}</td><td>{@link Presence}</td><td>{@link Presence}, every instance</td>
 *       <td>{@code on|instance|key|name}, {@code off|instance|key|}, {@code leave|instance||}</td></tr>
 *   <tr><td>{@code auth:revocations}</td><td>the auth service</td><td>{@link SessionGuard}, every instance</td>
 *       <td>JSON {@code {"userId", "username", "sessions": [...], "reason"}}</td></tr>
 * </table>
 *
 * <p>The Redis keys of presence (not channels) are {@link Presence}'s: {@code presence:<instance>} and
 * {@code presence:instances}.
 */
final class Channels {

    /** Prefix of a user's channel; the user key follows. */
    static final String USER_PREFIX = "chat:user:";
    /** The room everyone is in. */
    static final String ROOM_ALL = "chat:room:" + Rooms.ALL;
    /** Presence announcements between instances. */
    static final String PRESENCE = "chat:presence";
    /** Session revocations, published by the auth service (its {@code SessionRevocations}); a name they share. */
    static final String REVOCATIONS = ServiceChannels.SESSION_REVOCATIONS;

    private Channels() {
    }

    /**
     * A user's channel.
     *
     * @param userKey the user key ({@link Users#key})
     * @return the channel
     */
    static String user(String userKey) {
        return USER_PREFIX + userKey;
    }

    /**
     * The user key of a user's channel.
     *
     * @param channel a channel that starts with {@link #USER_PREFIX}
     * @return the user key
     */
    static String userKeyOf(String channel) {
        return channel.substring(USER_PREFIX.length());
    }
}
