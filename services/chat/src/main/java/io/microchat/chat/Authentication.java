package io.microchat.chat;

import io.microchat.common.AuthenticatedUser;
import io.microchat.common.TokenRejectedException;
import io.microchat.protocol.CloseCode;
import io.microchat.protocol.ErrorCode;

/**
 * Checks the access token of an {@code auth} or {@code reauth} frame, and answers one that does not pass: a bad
 * token closes the connection with {@link CloseCode#UNAUTHORIZED}; signing keys that cannot be fetched close it
 * with {@link CloseCode#TRY_AGAIN_LATER}, so that the client retries instead of dropping a token that may be good.
 */
final class Authentication {

    private final TokenCheck tokens;
    private final ChatMetrics metrics;

    /**
     * Authentication.
     *
     * @param tokens  verifies a token ({@code TokenVerifier::verify} in a running instance)
     * @param metrics metrics
     */
    Authentication(TokenCheck tokens, ChatMetrics metrics) {
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /**
     * Verifies an access token.
     *
     * @param connection where it came from
     * @param token      the token
     * @return who it speaks for, or null when it was refused (the connection is told and closed)
     */
    AuthenticatedUser verified(Connection connection, String token) {
        try {
            return tokens.verify(token);
        } catch (TokenRejectedException e) {
            refuse(connection, ErrorCode.INVALID_TOKEN, "The access token is not valid: " + e.getMessage() + ".",
                   CloseCode.UNAUTHORIZED, "invalid token");
            return null;
        } catch (KeysUnavailableException e) {
            refuse(connection, ErrorCode.UNAVAILABLE, "The token cannot be checked right now (" + e.getMessage()
                    + "); reconnect in a few seconds.", CloseCode.TRY_AGAIN_LATER, "signing keys unavailable");
            return null;
        }
    }

    /**
     * Tells a connection why it cannot go on, and closes it.
     *
     * @param connection the connection
     * @param code       the error code
     * @param message    the error message
     * @param closeCode  the close code
     * @param reason     the close reason
     */
    void refuse(Connection connection, String code, String message, int closeCode, String reason) {
        metrics.rejected(code);
        connection.send(ServerFrames.error(code, message, null, null));
        connection.close(closeCode, reason);
    }

    /** Verifies an access token. */
    @FunctionalInterface
    interface TokenCheck {
        /**
         * Verifies a token.
         *
         * @param token the token
         * @return who it speaks for
         * @throws TokenRejectedException  when it is not valid
         * @throws KeysUnavailableException when the signing keys cannot be had
         */
        AuthenticatedUser verify(String token);
    }
}
