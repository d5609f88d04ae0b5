package io.microchat.chat;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What {@code conversations} and {@code history} answers say about reading (docs/protocol.md, "Unread counts",
 * "Read markers") and {@code group_info} says about its members: {@link ReadReceipts} in a running instance.
 */
interface ConversationReading {

    /** Says nothing (unit tests of the hub that do not read). */
    ConversationReading NONE = new ConversationReading() {
        @Override
        public Map<String, ServerFrames.ConversationState> states(String userKey, List<ChatMessage> newest) {
            return Map.of();
        }

        @Override
        public Map<String, String> peerMarkers(String userKey, String peer) {
            return Map.of();
        }

        @Override
        public Map<String, String> groupMarkers(String userKey, GroupStore.Group group) {
            return Map.of();
        }

        @Override
        public Map<String, Long> lastSeen(Collection<String> userKeys) {
            return Map.of();
        }
    };

    /**
     * Unread counts, markers and last seen of a user's conversations.
     *
     * @param userKey the user
     * @param newest  the newest message of each conversation
     * @return by conversation key
     */
    Map<String, ServerFrames.ConversationState> states(String userKey, List<ChatMessage> newest);

    /**
     * The peer's marker of a private conversation, as a {@code history} answer carries it: empty when either side
     * turned read receipts off, the peer never read it, or the peer is nobody.
     *
     * @param userKey the user
     * @param peer    the other user as the user named them
     * @return the peer's registered name to their marker, or empty
     */
    Map<String, String> peerMarkers(String userKey, String peer);

    /**
     * The read markers of a group's other members that a user may see, for its {@code history}.
     *
     * @param userKey the user who asks
     * @param group   the group
     * @return username to marker
     */
    Map<String, String> groupMarkers(String userKey, GroupStore.Group group);

    /**
     * When users who are offline now were last online, for those who show it ({@code group_info}'s members).
     *
     * @param userKeys the users
     * @return user key to last seen, for those offline who have one and show it
     */
    Map<String, Long> lastSeen(Collection<String> userKeys);
}
