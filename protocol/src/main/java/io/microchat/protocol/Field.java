package io.microchat.protocol;

/**
 * The field names of the chat protocol's frames (docs/protocol.md).
 */
public final class Field {

    /** Every frame: what it is ({@link FrameType}). */
    public static final String TYPE = "type";
    /** {@code auth}, {@code reauth}: the access token. */
    public static final String TOKEN = "token";
    /** {@code auth}: the id of the newest message the client holds. */
    public static final String RESUME_AFTER = "resumeAfter";
    /** {@code send}, {@code sent}, errors: the client's own id of a message, for retries. */
    public static final String CLIENT_ID = "clientId";
    /** Requests and their answers: the client's id of the request. */
    public static final String REQUEST_ID = "requestId";
    /** {@code send}, {@code message}: the recipient user. */
    public static final String TO = "to";
    /** {@code send}, {@code message}, {@code history}: the room. */
    public static final String ROOM = "room";
    /** {@code send}, {@code message}: the text. */
    public static final String TEXT = "text";
    /** {@code message}, {@code sent}, {@code delivered}: a message id. */
    public static final String ID = "id";
    /** {@code received}: message ids. */
    public static final String IDS = "ids";
    /** {@code message}: the sender's username. */
    public static final String FROM = "from";
    /** Timestamps, epoch milliseconds. */
    public static final String TS = "ts";
    /** {@code message}: when a recipient's device first held it. */
    public static final String DELIVERED_AT = "deliveredAt";
    /** {@code delivered}: who received it. */
    public static final String BY = "by";
    /** {@code history}, {@code conversations}: the other user of a private conversation. */
    public static final String WITH = "with";
    /** {@code history}: page before this id. */
    public static final String BEFORE = "before";
    /** {@code replayed}: where the replay started. */
    public static final String AFTER = "after";
    /** {@code history}: page size. */
    public static final String LIMIT = "limit";
    /** {@code history}: page back through a replay's gap. */
    public static final String MISSED = "missed";
    /** {@code history}: the messages of a page. */
    public static final String MESSAGES = "messages";
    /** {@code history}: the id to page from next, or null. */
    public static final String NEXT = "next";
    /** {@code conversations}: the list. */
    public static final String CONVERSATIONS = "conversations";
    /** {@code conversations}: a conversation's newest message. */
    public static final String LAST = "last";
    /** {@code welcome}: the user. */
    public static final String USER = "user";
    /** {@code welcome}: the instance's id. */
    public static final String INSTANCE = "instance";
    /** {@code welcome}, {@code presence}: users online. */
    public static final String ONLINE = "online";
    /** {@code presence}: users gone offline. */
    public static final String OFFLINE = "offline";
    /** {@code welcome}: the limits that apply. */
    public static final String LIMITS = "limits";
    /** {@code welcome.limits}: the longest text. */
    public static final String MAX_TEXT_LENGTH = "maxTextLength";
    /** {@code welcome.limits}: the send rate. */
    public static final String MESSAGES_PER_SECOND = "messagesPerSecond";
    /** {@code welcome.limits}: the send burst. */
    public static final String BURST = "burst";
    /** {@code welcome.user}: the user id. */
    public static final String USER_ID = "id";
    /** {@code welcome.user}: the username. */
    public static final String USERNAME = "username";
    /** {@code replayed}: how many messages were replayed. */
    public static final String COUNT = "count";
    /** {@code replayed}: whether older missed messages are left. */
    public static final String TRUNCATED = "truncated";
    /** {@code reauthenticated}: the new token's expiry. */
    public static final String EXPIRES_AT = "expiresAt";
    /** {@code reconnect}: why. */
    public static final String REASON = "reason";
    /** {@code error}: the {@link ErrorCode}. */
    public static final String CODE = "code";
    /** {@code error}: a sentence for people. */
    public static final String MESSAGE = "message";
    /** {@code error overloaded}: when to send again. */
    public static final String RETRY_AFTER_MS = "retryAfterMs";

    private Field() {
    }
}
