package io.microchat.chat;

/**
 * A token names a signing key this instance does not know and cannot look up, because the auth service's key set
 * cannot be fetched: the token may be good, so the client is told to retry, not that its token is invalid.
 */
final class KeysUnavailableException extends RuntimeException {

    /**
     * An outage of the key set.
     *
     * @param reason why, in words safe to show the client
     */
    KeysUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
