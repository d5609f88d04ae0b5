package io.microchat.chat;

/** A send refused because a queue of the send path is past its bound; the client retries after the hint. */
final class OverloadedException extends RuntimeException {

    private final long retryAfterMillis;

    OverloadedException(String message, long retryAfterMillis) {
        super(message, null, false, false);
        this.retryAfterMillis = retryAfterMillis;
    }

    long retryAfterMillis() {
        return retryAfterMillis;
    }
}
