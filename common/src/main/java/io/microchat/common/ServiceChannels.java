package io.microchat.common;

/**
 * The Redis pub/sub channels between services: one service publishes, another handles. Both take the name from
 * here, so the two cannot drift apart.
 */
public final class ServiceChannels {

    /**
     * Session revocations: published by the auth service when sessions end, handled by every chat instance (which
     * closes those sessions' connections). Payload: JSON {@code {"userId", "username", "sessions": [...],
     * "reason"}}.
     */
    public static final String SESSION_REVOCATIONS = "auth:revocations";

    private ServiceChannels() {
    }
}
