package io.microchat.chat;

import java.util.List;

/**
 * A stored chat message.
 *
 * @param id          server id (time-ordered, see {@link MessageIds})
 * @param ts          acceptance time, epoch milliseconds
 * @param from        sender's username
 * @param to          recipient's username for a private message, else null
 * @param room        room name for a broadcast, else null
 * @param text        the text
 * @param clientId    the sender's id for the send, for idempotent retries
 * @param deliveredAt when a recipient's client confirmed it, epoch milliseconds, or null
 */
record ChatMessage(String id, long ts, String from, String to, String room, String text, String clientId,
                   Long deliveredAt) {

    /** The participant entry that stands for "everyone" on broadcast messages. */
    static final String EVERYONE = "*";

    boolean isPrivate() {
        return to != null;
    }

    String fromKey() {
        return Users.key(from);
    }

    String toKey() {
        return to == null ? null : Users.key(to);
    }

    /** The conversation a message belongs to: {@code dm:<a>|<b>} with the keys sorted, or {@code room:<name>}. */
    String conversation() {
        return isPrivate() ? privateConversation(fromKey(), toKey()) : roomConversation(room);
    }

    List<String> participants() {
        if (!isPrivate()) {
            return List.of(EVERYONE);
        }
        return fromKey().equals(toKey()) ? List.of(fromKey()) : List.of(fromKey(), toKey());
    }

    static String privateConversation(String a, String b) {
        return a.compareTo(b) <= 0 ? "dm:" + a + "|" + b : "dm:" + b + "|" + a;
    }

    /**
     * A room's conversation key.
     *
     * @param room the room
     * @return {@code room:<name>}
     */
    static String roomConversation(String room) {
        return "room:" + room;
    }
}
