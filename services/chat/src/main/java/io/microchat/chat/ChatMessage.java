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
 * @param group       the group of a group message, else null
 * @param event       a group's membership change this message is (its text is empty), else null
 * @param members     a group message's participants: the members' keys when it was sent (null otherwise)
 * @param edited      when its sender last edited it, epoch milliseconds, or null
 * @param deleted     whether its sender deleted it (its text is then empty)
 * @param rev         the id of its latest edit or delete ({@link MessageChanges}), or null when never changed
 */
record ChatMessage(String id, long ts, String from, String to, String room, String text, String clientId,
                   Long deliveredAt, String group, GroupStore.Event event, List<String> members,
                   Long edited, boolean deleted, String rev) {

    /**
     * A private or room message as it is sent: never edited or deleted.
     *
     * @param id          server id
     * @param ts          acceptance time
     * @param from        sender's username
     * @param to          recipient's username, or null
     * @param room        room name, or null
     * @param text        the text
     * @param clientId    the sender's id for the send
     * @param deliveredAt when confirmed, or null
     */
    ChatMessage(String id, long ts, String from, String to, String room, String text, String clientId,
                Long deliveredAt) {
        this(id, ts, from, to, room, text, clientId, deliveredAt, null, null, null, null, false, null);
    }

    /**
     * A group message or membership event as it is sent: never edited or deleted.
     *
     * @param id          server id
     * @param ts          acceptance time
     * @param from        sender's username
     * @param to          null
     * @param room        null
     * @param text        the text (empty for an event)
     * @param clientId    the sender's id for the send
     * @param deliveredAt null
     * @param group       the group
     * @param event       the membership change, or null
     * @param members     the members' keys at send time
     */
    ChatMessage(String id, long ts, String from, String to, String room, String text, String clientId,
                Long deliveredAt, String group, GroupStore.Event event, List<String> members) {
        this(id, ts, from, to, room, text, clientId, deliveredAt, group, event, members, null, false, null);
    }

    /**
     * A private or room message with its changes.
     *
     * @param id          server id
     * @param ts          acceptance time
     * @param from        sender's username
     * @param to          recipient's username, or null
     * @param room        room name, or null
     * @param text        the text
     * @param clientId    the sender's id for the send
     * @param deliveredAt when confirmed, or null
     * @param edited      when last edited, or null
     * @param deleted     whether deleted
     * @param rev         the latest change's id, or null
     */
    ChatMessage(String id, long ts, String from, String to, String room, String text, String clientId,
                Long deliveredAt, Long edited, boolean deleted, String rev) {
        this(id, ts, from, to, room, text, clientId, deliveredAt, null, null, null, edited, deleted, rev);
    }

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

    boolean isGroup() {
        return group != null;
    }

    /**
     * The conversation a message belongs to: {@code dm:<a>|<b>} with the keys sorted, {@code group:<id>} or
     * {@code room:<name>}.
     */
    String conversation() {
        if (isGroup()) {
            return GroupStore.conversation(group);
        }
        return isPrivate() ? privateConversation(fromKey(), toKey()) : roomConversation(room);
    }

    /** Who may see it: the two users, a group's members when it was sent, or {@link #EVERYONE}. */
    List<String> participants() {
        if (isGroup()) {
            return members;
        }
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
