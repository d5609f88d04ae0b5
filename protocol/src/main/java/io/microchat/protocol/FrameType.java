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

    private FrameType() {
    }
}
