package io.microchat.protocol;

/**
 * The WebSocket close codes of the chat protocol (docs/protocol.md, "Close codes").
 */
public final class CloseCode {

    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The instance is draining: reconnect elsewhere. */
    public static final int GOING_AWAY = 1001;
    /** Never sent: what a client sees when the connection ended without a close frame. */
    public static final int ABNORMAL = 1006;
    /** One WebSocket frame over the frame limit. */
    public static final int TOO_BIG = 1009;
    /** Internal error. */
    public static final int INTERNAL_ERROR = 1011;
    /** The token cannot be checked now: reconnect after a few seconds with the same token. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Authentication failed. */
    public static final int UNAUTHORIZED = 4401;
    /** The session ended: log in again. */
    public static final int SESSION_REVOKED = 4403;
    /** No {@code auth} in time. */
    public static final int AUTH_TIMEOUT = 4408;
    /** The token expired: refresh it and reconnect. */
    public static final int TOKEN_EXPIRED = 4410;
    /** The client did not read fast enough: reconnect with {@code resumeAfter}. */
    public static final int TOO_SLOW = 4429;

    private CloseCode() {
    }
}
