package io.microchat.chat;

import java.util.List;

/**
 * Presence as the chat logic needs it: {@link Presence} (Redis) in a running instance, a stand-in in unit tests.
 */
interface OnlineUsers {

    /**
     * A connection of a user opened here; called in order with {@link #disconnected} per user.
     *
     * @param key  user key
     * @param name registered name
     */
    void connected(String key, String name);

    /**
     * A connection of a user closed here.
     *
     * @param key user key
     */
    void disconnected(String key);

    /**
     * Everyone online now, by registered name.
     *
     * @return the names
     */
    List<String> online();

    /**
     * On how many instances a user has connections, this one included.
     *
     * @param key user key
     * @return the count
     */
    int instancesWith(String key);

    /** Leaves for good (on shutdown). */
    void leave();
}
