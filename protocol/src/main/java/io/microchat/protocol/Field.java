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
    /** {@code welcome.limits}: how long after a message its sender may edit it, in milliseconds. */
    public static final String EDIT_WINDOW_MS = "editWindowMs";
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

    // issue 18
    /** {@code send}, {@code message}, {@code history}, group frames, ...: a group's id ({@code g-} and 24 hex). */
    public static final String GROUP = "group";
    /** {@code group_create}, {@code group_info}, {@code groups}, {@code conversations}: a group's name. */
    public static final String NAME = "name";
    /** {@code group_create}: the usernames to add besides the creator; {@code group_info}: the members. */
    public static final String MEMBERS = "members";
    /** Group frames, membership events: the users concerned. */
    public static final String USERS = "users";
    /** {@code group_info.members}: a member's username. */
    public static final String MEMBER_USER = "user";
    /** {@code group_info.members}, {@code groups}: {@link Groups#ADMIN} or {@link Groups#MEMBER}. */
    public static final String ROLE = "role";
    /** {@code group_info.members}: when the member joined. */
    public static final String JOINED_AT = "joinedAt";
    /** {@code group_info}: who created the group. */
    public static final String CREATED_BY = "createdBy";
    /** {@code group_info}: when the group was created. */
    public static final String CREATED_AT = "createdAt";
    /** {@code groups}: the list. */
    public static final String GROUPS = "groups";
    /** {@code groups}: a group's number of members. */
    public static final String SIZE = "size";
    /** {@code message}: a membership change ({@link Groups}, {@code EVENT_*}). */
    public static final String EVENT = "event";
    /** Membership event {@code left}: who became admin by it. */
    public static final String ADMINS = "admins";
    /** {@code read}, {@code marker}: the newest message read. */
    public static final String UP_TO = "upTo";
    /** {@code marker}, {@code conversations}: unread messages, counted up to 1,000. */
    public static final String UNREAD = "unread";
    /** {@code conversations}, {@code group_info.members}: the user's (the member's) read marker. */
    public static final String READ_UP_TO = "readUpTo";
    /** {@code history}, {@code conversations}: the other participants' read markers, by username. */
    public static final String MARKERS = "markers";
    /** {@code presence}, {@code conversations}, {@code group_info.members}: when a user was last online. */
    public static final String LAST_SEEN = "lastSeen";
    /** {@code welcome}: the user's settings. */
    public static final String SETTINGS = "settings";
    /** {@code settings}: whether the user sends and sees read receipts. */
    public static final String READ_RECEIPTS = "readReceipts";
    /** {@code settings}: whether others see the user's last seen. */
    public static final String SHOW_LAST_SEEN = "showLastSeen";
    /** {@code message}: when it was last edited. */
    public static final String EDITED = "edited";
    /** {@code edited}: when it was edited. */
    public static final String EDITED_AT = "editedAt";
    /** {@code message}: it was deleted (the text is empty). */
    public static final String DELETED = "deleted";
    /** {@code edited}, {@code deleted}: the change's id (time-ordered, like message ids). */
    public static final String REV = "rev";
    /** {@code replayed}: how many changes to older messages were replayed. */
    public static final String CHANGES = "changes";
    /** {@code replayed}: whether older changes were left out. */
    public static final String CHANGES_TRUNCATED = "changesTruncated";

    private Field() {
    }
}
