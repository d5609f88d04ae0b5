package io.microchat.common;

/** A token that is missing, malformed, wrongly signed, expired or meant for someone else. */
public final class TokenRejectedException extends RuntimeException {

    /**
     * A rejection.
     *
     * @param reason why, in words safe to show the client (never the token itself)
     */
    public TokenRejectedException(String reason) {
        super(reason);
    }
}
