package io.microchat.operator.mongodb;

import java.util.List;
import java.util.Optional;

/**
 * What the operator asks of a managed replica set. {@link DriverMongoAdmin} does it with the MongoDB Java driver;
 * the operator's tests use an in-memory replica set.
 */
public interface MongoAdmin {

    /**
     * Whether a member's {@code mongod} answers {@code ping} (which needs no credentials).
     *
     * @param host {@code host:port}
     * @return true when it answered
     */
    boolean answers(String host);

    /**
     * The replica set's configuration, read from the answering hosts (the highest version wins).
     *
     * @param hosts the hosts to ask
     * @param root  the root user
     * @return the configuration, or empty when no host has one yet (not initiated)
     */
    Optional<ReplicaSetConfig> config(List<String> hosts, Credentials root);

    /**
     * {@code replSetInitiate} on the configuration's first member.
     *
     * @param config the initial configuration
     * @param root   the root user
     */
    void initiate(ReplicaSetConfig config, Credentials root);

    /**
     * {@code replSetReconfig} on the primary.
     *
     * @param current the configuration now (its members are the seeds)
     * @param next    the configuration wanted
     * @param root    the root user
     */
    void reconfigure(ReplicaSetConfig current, ReplicaSetConfig next, Credentials root);

    /**
     * Creates a user with one role on its database, unless it exists.
     *
     * @param config   the configuration (its members are the seeds)
     * @param root     the root user
     * @param database the user's database, where its role applies
     * @param user     the user to create
     * @param role     its role on the database, e.g. {@code readWrite}
     * @return true when it was created now
     */
    boolean ensureUser(ReplicaSetConfig config, Credentials root, String database, Credentials user, String role);

    /**
     * A user name and password.
     *
     * @param username the name
     * @param password the password; never logged ({@link #toString()} leaves it out)
     */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + "]";
        }
    }

    /** MongoDB refused or could not be reached; the message says what was tried. */
    class AdminException extends RuntimeException {
        public AdminException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
