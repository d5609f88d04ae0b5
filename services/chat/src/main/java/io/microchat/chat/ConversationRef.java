package io.microchat.chat;

/**
 * The conversation a client frame names, with exactly one of {@code with}, {@code group} or {@code room}
 * ({@link CommandDecoder} checks the shape; whether the user or group exists, and whether the user is in it, is
 * {@link ConversationMembers}'s question).
 */
sealed interface ConversationRef {

    /**
     * The conversation key of the messages (their {@code conv}) as seen by a user.
     *
     * @param userKey the user
     * @return {@code dm:<a>|<b>}, {@code group:<id>} or {@code room:<name>}
     */
    String key(String userKey);

    /**
     * A private conversation.
     *
     * @param with the other user, as given (any case; the caller checks that they exist)
     */
    record Direct(String with) implements ConversationRef {

        @Override
        public String key(String userKey) {
            return ChatMessage.privateConversation(userKey, Users.key(with));
        }
    }

    /**
     * A group conversation.
     *
     * @param group the group id, well-formed
     */
    record InGroup(String group) implements ConversationRef {

        @Override
        public String key(String userKey) {
            return GroupStore.conversation(group);
        }
    }

    /**
     * A room.
     *
     * @param room the room ({@code all})
     */
    record InRoom(String room) implements ConversationRef {

        @Override
        public String key(String userKey) {
            return "room:" + room;
        }
    }
}
