package io.microchat.chat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections open on this instance, all of them and the authenticated ones by user. Owned by the
 * {@link ChatHub}, which adds and removes; {@link Delivery}, {@link Replay} and {@link SessionGuard} read.
 */
final class LocalConnections {

    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<Connection>> byUser = new ConcurrentHashMap<>();

    void add(Connection connection) {
        all.add(connection);
    }

    /**
     * Forgets a connection.
     *
     * @param connection the connection
     * @return false when it was forgotten already
     */
    boolean remove(Connection connection) {
        return all.remove(connection);
    }

    /**
     * Files an authenticated connection under its user.
     *
     * @param key        the user key
     * @param connection the connection
     * @param inOrder    runs under the user's entry, in order with the other joins and leaves of the user (no I/O)
     */
    void join(String key, Connection connection, Runnable inOrder) {
        byUser.compute(key, (k, set) -> {
            Set<Connection> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(connection);
            inOrder.run();
            return result;
        });
    }

    /**
     * Takes a connection off its user.
     *
     * @param key        the user key
     * @param connection the connection
     * @param inOrder    runs under the user's entry, in order with the other joins and leaves of the user (no I/O)
     */
    void leave(String key, Connection connection, Runnable inOrder) {
        byUser.computeIfPresent(key, (k, set) -> {
            set.remove(connection);
            inOrder.run();
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Every connection here, authenticated or not.
     *
     * @return the connections (a live view)
     */
    Iterable<Connection> all() {
        return all;
    }

    /**
     * A user's connections here.
     *
     * @param key the user key
     * @return the connections (a live view), empty when none
     */
    Iterable<Connection> ofUser(String key) {
        return byUser.getOrDefault(key, Set.of());
    }

    int size() {
        return all.size();
    }

    boolean isEmpty() {
        return all.isEmpty();
    }
}
