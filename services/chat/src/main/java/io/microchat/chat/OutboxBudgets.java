package io.microchat.chat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.microchat.common.AuthenticatedUser;

/**
 * What the outboxes of one instance may hold, in bytes (see {@link Outbox#cost}): per connection, per user across
 * their connections, and in total. The first two close the connection that goes past them; the instance total is
 * checked before the server builds something large on a client's request (a history page, the conversation list),
 * which is refused with {@code overloaded} while the total is over its limit.
 *
 * <p>A user's budget lives while they have a connection here: {@link #join} and {@link #leave} count them, both
 * under the map's per-key lock.
 */
final class OutboxBudgets {

    private final long connectionLimit;
    private final long userLimit;
    private final long instanceLimit;
    private final LongAdder total = new LongAdder();
    private final ConcurrentHashMap<String, User> users = new ConcurrentHashMap<>();

    /**
     * Budgets with limits.
     *
     * @param connectionLimit bytes one connection may hold before a frame is refused
     * @param userLimit       bytes one user's connections may hold together
     * @param instanceLimit   bytes all connections may hold before large requests are refused
     */
    OutboxBudgets(long connectionLimit, long userLimit, long instanceLimit) {
        if (connectionLimit <= 0 || userLimit < connectionLimit || instanceLimit <= 0) {
            throw new IllegalArgumentException("outbox limits must be positive, the user's at least the connection's: "
                                               + connectionLimit + ", " + userLimit + ", " + instanceLimit);
        }
        this.connectionLimit = connectionLimit;
        this.userLimit = userLimit;
        this.instanceLimit = instanceLimit;
    }

    long connectionLimit() {
        return connectionLimit;
    }

    long userLimit() {
        return userLimit;
    }

    void charge(long bytes) {
        total.add(bytes);
    }

    /**
     * Bytes queued on this instance, all connections together.
     *
     * @return the bytes
     */
    long total() {
        return total.sum();
    }

    /**
     * Whether the instance's outboxes hold more than their limit (large requests wait).
     *
     * @return true when over
     */
    boolean overInstanceLimit() {
        return total.sum() > instanceLimit;
    }

    /**
     * A connection of a user opens here.
     *
     * @param userKey the user
     * @return the user's budget, shared by their connections
     */
    User join(String userKey) {
        return users.compute(userKey, (k, existing) -> {
            User user = existing == null ? new User(k) : existing;
            user.connections++;
            return user;
        });
    }

    /**
     * A connection of a user closed.
     *
     * @param userKey the user
     */
    void leave(String userKey) {
        users.computeIfPresent(userKey, (k, user) -> --user.connections == 0 ? null : user);
    }

    /**
     * One user's bytes on this instance; also what the user's connections here share rather than each keep a copy
     * of: the user key and, while equal, who their token speaks for.
     */
    static final class User {
        private final String key;
        private final AtomicLong bytes = new AtomicLong();
        /** Guarded by the map's lock on this user's key. */
        private int connections;
        /** The identity last seen on a connection of this user, shared with the next when equal. */
        private volatile AuthenticatedUser identity;

        User(String key) {
            this.key = key;
        }

        /**
         * The user key (as {@link Users#key}).
         *
         * @return the key
         */
        String key() {
            return key;
        }

        /**
         * The identity a connection of this user keeps: the one another connection keeps when equal (the same
         * token, as on a user's reconnects and tabs), else this one with the user's strings shared.
         *
         * @param user who a connection's token speaks for
         * @return an equal identity
         */
        AuthenticatedUser shared(AuthenticatedUser user) {
            AuthenticatedUser known = identity;
            if (user.equals(known)) {
                return known;
            }
            if (known != null && known.userId().equals(user.userId()) && known.username().equals(user.username())) {
                user = new AuthenticatedUser(known.userId(), known.username(), user.expiresAt(),
                                             user.sessionId());
            }
            identity = user;
            return user;
        }

        /**
         * Adds to (or, negative, takes from) the user's bytes.
         *
         * @param delta the bytes
         * @return the bytes held before
         */
        long charge(long delta) {
            return bytes.getAndAdd(delta);
        }

        long bytes() {
            return bytes.get();
        }
    }
}
