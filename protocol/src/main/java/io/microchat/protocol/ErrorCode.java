package io.microchat.protocol;

/**
 * The {@code code} of the chat protocol's error frames (docs/protocol.md, "Error codes").
 */
public final class ErrorCode {

    /** The frame is not a JSON object. */
    public static final String MALFORMED_JSON = "malformed_json";
    /** A required field is absent. */
    public static final String MISSING_FIELD = "missing_field";
    /** A field has the wrong type or an out-of-range value. */
    public static final String INVALID_FIELD = "invalid_field";
    /** No such frame type. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** A frame other than {@code auth} before authenticating. */
    public static final String NOT_AUTHENTICATED = "not_authenticated";
    /** A second {@code auth}. */
    public static final String ALREADY_AUTHENTICATED = "already_authenticated";
    /** The token is not valid (close {@link CloseCode#UNAUTHORIZED}). */
    public static final String INVALID_TOKEN = "invalid_token";
    /** The token cannot be checked now (close {@link CloseCode#TRY_AGAIN_LATER}). */
    public static final String UNAVAILABLE = "unavailable";
    /** No {@code auth} in time (close {@link CloseCode#AUTH_TIMEOUT}). */
    public static final String AUTH_TIMEOUT = "auth_timeout";
    /** The token expired during the session (close {@link CloseCode#TOKEN_EXPIRED}). */
    public static final String TOKEN_EXPIRED = "token_expired";
    /** The token's session ended (close {@link CloseCode#SESSION_REVOKED}). */
    public static final String SESSION_REVOKED = "session_revoked";
    /** Text over the limit. */
    public static final String TEXT_TOO_LONG = "text_too_long";
    /** A message over the message size limit. */
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    /** A binary frame. */
    public static final String UNSUPPORTED_FRAME = "unsupported_frame";
    /** {@code to} names nobody. */
    public static final String UNKNOWN_USER = "unknown_user";
    /** No such room. */
    public static final String UNKNOWN_ROOM = "unknown_room";
    /** Over the send or frame rate. */
    public static final String RATE_LIMITED = "rate_limited";
    /** MongoDB is unreachable; nothing was stored. */
    public static final String STORE_UNAVAILABLE = "store_unavailable";
    /** The instance is past a bound of its queues; nothing was stored. */
    public static final String OVERLOADED = "overloaded";
    /** Missed messages could not be loaded. */
    public static final String REPLAY_FAILED = "replay_failed";
    /** The instance is shutting down. */
    public static final String DRAINING = "draining";
    /** A bug on the server side. */
    public static final String INTERNAL_ERROR = "internal_error";

    // issue 18
    /** {@code group} names no group. */
    public static final String UNKNOWN_GROUP = "unknown_group";
    /** The user (or a user named) is not a member of the group. */
    public static final String NOT_A_MEMBER = "not_a_member";
    /** Only the group's admins may do that. */
    public static final String NOT_ADMIN = "not_admin";
    /** The group would have more members than allowed. */
    public static final String GROUP_TOO_LARGE = "group_too_large";
    /** The group name is empty, too long or has control characters. */
    public static final String INVALID_GROUP_NAME = "invalid_group_name";
    /** No such message in that conversation, or one the user never received. */
    public static final String UNKNOWN_MESSAGE = "unknown_message";
    /** Editing or deleting somebody else's message. */
    public static final String NOT_YOUR_MESSAGE = "not_your_message";
    /** Editing after the edit window. */
    public static final String EDIT_WINDOW_PASSED = "edit_window_passed";
    /** Editing a deleted message. */
    public static final String MESSAGE_DELETED = "message_deleted";

    private ErrorCode() {
    }
}
