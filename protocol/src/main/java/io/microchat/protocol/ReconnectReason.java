package io.microchat.protocol;

/**
 * Why the server asks a client to connect again: the {@code reason} of a {@code reconnect} frame.
 */
public final class ReconnectReason {

    /** The instance is shutting down: connect again, to another one. */
    public static final String DRAINING = "draining";

    private ReconnectReason() {
    }
}
