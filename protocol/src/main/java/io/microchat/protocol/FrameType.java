package io.microchat.protocol;

/**
 * The {@code type} of every frame of the chat protocol (docs/protocol.md).
 */
public final class FrameType {

    // client to server
    /** First frame: the access token, and where to resume. */
    public static final String AUTH = "auth";
    /** A new access token for the open connection. */
    public static final String REAUTH = "reauth";
    /** A message to a user or a room. */
    public static final String SEND = "send";
    /** The client holds these messages (delivery receipts). */
    public static final String RECEIVED = "received";
    /** Keep-alive. */
    public static final String PING = "ping";
    /** A request for one page of a conversation (also the answer). */
    public static final String HISTORY = "history";
    /** A request for the list of conversations (also the answer). */
    public static final String CONVERSATIONS = "conversations";

    // server to client
    /** The answer to {@code auth}. */
    public static final String WELCOME = "welcome";
    /** The answer to {@code reauth}. */
    public static final String REAUTHENTICATED = "reauthenticated";
    /** The end of the replay after {@code auth}. */
    public static final String REPLAYED = "replayed";
    /** A message is stored: its id. */
    public static final String SENT = "sent";
    /** A message for this client. */
    public static final String MESSAGE = "message";
    /** A recipient's device holds a message the client sent. */
    public static final String DELIVERED = "delivered";
    /** Users came online or went offline. */
    public static final String PRESENCE = "presence";
    /** The answer to {@code ping}. */
    public static final String PONG = "pong";
    /** The instance drains: connect again (to another one). */
    public static final String RECONNECT = "reconnect";
    /** Something went wrong; see {@link ErrorCode}. */
    public static final String ERROR = "error";

    // issue 18
    // client to server
    /** Creates a group. */
    public static final String GROUP_CREATE = "group_create";
    /** An admin adds members to a group. */
    public static final String GROUP_ADD = "group_add";
    /** An admin removes members from a group. */
    public static final String GROUP_REMOVE = "group_remove";
    /** An admin makes members admins. */
    public static final String GROUP_ADMIN = "group_admin";
    /** A member leaves a group. */
    public static final String GROUP_LEAVE = "group_leave";
    /** A request for the user's groups (also the answer). */
    public static final String GROUPS = "groups";
    /** The user has read a conversation up to a message (the answer to others is a read receipt). */
    public static final String READ = "read";
    /** The user's settings (also the answer, to every device of the user). */
    public static final String SETTINGS = "settings";
    /** The user is typing in a conversation (also relayed to the other participants). */
    public static final String TYPING = "typing";
    /** The sender edits a message. */
    public static final String EDIT = "edit";
    /** The sender deletes a message. */
    public static final String DELETE = "delete";
    // server to client (and group_info both ways)
    /** A request for a group (also the answer to it and to the group changes). */
    public static final String GROUP_INFO = "group_info";
    /** The answer to {@code group_leave}. */
    public static final String GROUP_LEFT = "group_left";
    /** The user's read marker moved (to every device of the user). */
    public static final String MARKER = "marker";
    /** A message was edited. */
    public static final String EDITED = "edited";
    /** A message was deleted. */
    public static final String DELETED = "deleted";

    private FrameType() {
    }
}
