package io.microchat.chat;

import io.microchat.common.AuthenticatedUser;

/**
 * Whether a connection's session may go on: {@link SessionGuard} (MongoDB, revocations on Redis) in a running
 * instance, a stand-in in unit tests.
 */
interface SessionCheck {

    /**
     * Lets an authenticated connection in when its session is active, and watches its token's expiry.
     *
     * @param connection the connection
     * @param user       who its token speaks for
     * @return false when the session ended (the connection is told and closed)
     */
    boolean admit(Connection connection, AuthenticatedUser user);

    /**
     * A fresh access token for the same user on an open connection.
     *
     * @param connection the connection
     * @param reauth     the command
     */
    void reauthenticate(Connection connection, Command.Reauth reauth);
}
