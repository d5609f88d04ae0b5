package io.microchat.chat;

import java.util.List;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.Rooms;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The fields of the client frames of groups, read markers, typing and settings (docs/protocol.md, from
 * "Groups" to "Last seen"), read into typed commands: what the frame says, checked for shape and limits, and
 * nothing that needs storage (whether a user, group or message exists is the stores' question). Each reader throws
 * a {@link ProtocolException} with the documented code.
 */
final class ChatCommands {

    private ChatCommands() {
    }

    /**
     * The conversation a frame names, with exactly one of {@code with}, {@code group} or {@code room}.
     */
    sealed interface ConversationRef {

        /**
         * The conversation key of the messages (their {@code conv}) as seen by a user.
         *
         * @param userKey the user
         * @return {@code dm:<a>|<b>}, {@code group:<id>} or {@code room:<name>}
         */
        String key(String userKey);
    }

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

    /** {@code read}. */
    record Read(ConversationRef conversation, String upTo) {
    }

    /** {@code settings}: null for a setting left as it is. */
    record SettingsChange(Boolean readReceipts, Boolean showLastSeen) {
    }

    /**
     * The conversation of a frame.
     *
     * @param frame     the frame
     * @param allowRoom whether {@code room} may be given ({@code read}: yes; {@code typing}: no)
     * @return the conversation
     */
    static ConversationRef conversation(JsonObject frame, boolean allowRoom) {
        String with = optionalString(frame, Field.WITH);
        String group = optionalString(frame, Field.GROUP);
        String room = optionalString(frame, Field.ROOM);
        int given = (with == null ? 0 : 1) + (group == null ? 0 : 1) + (room == null ? 0 : 1);
        String which = allowRoom ? "'with' (a username), 'group' or 'room'" : "'with' (a username) or 'group'";
        if (given != 1) {
            throw new ProtocolException(given == 0 ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD,
                                        "Give exactly one of " + which + ".");
        }
        if (with != null) {
            if (with.isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_FIELD, "'with' must be a username.");
            }
            return new Direct(with);
        }
        if (group != null) {
            return new InGroup(groupId(group));
        }
        if (!allowRoom) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "Give 'with' (a username) or 'group', not 'room'.");
        }
        if (!Rooms.ALL.equals(room)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_ROOM, "The only room is '" + Rooms.ALL + "'.");
        }
        return new InRoom(room);
    }

    /**
     * {@code read}.
     *
     * @param frame the frame
     * @return the command
     */
    static Read read(JsonObject frame) {
        ConversationRef conversation = conversation(frame, true);
        return new Read(conversation, messageId(frame, Field.UP_TO));
    }

    /**
     * {@code typing}.
     *
     * @param frame the frame
     * @return the conversation typed in
     */
    static ConversationRef typing(JsonObject frame) {
        return conversation(frame, false);
    }

    /**
     * {@code settings}: at least one of the two.
     *
     * @param frame the frame
     * @return the change
     */
    static SettingsChange settings(JsonObject frame) {
        Boolean readReceipts = optionalBoolean(frame, Field.READ_RECEIPTS);
        Boolean showLastSeen = optionalBoolean(frame, Field.SHOW_LAST_SEEN);
        if (readReceipts == null && showLastSeen == null) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "Give 'readReceipts' or 'showLastSeen' (or both).");
        }
        return new SettingsChange(readReceipts, showLastSeen);
    }

    private static String groupId(String group) {
        if (!GroupStore.isValidId(group)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_GROUP, "There is no group '" + group + "'.");
        }
        return group;
    }

    private static String messageId(JsonObject frame, String field) {
        String id = requiredString(frame, field);
        if (!MessageIds.isValid(id)) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "'" + field + "' must be a message id.");
        }
        return id;
    }

    private static String requiredString(JsonObject frame, String field) {
        String value = optionalString(frame, field);
        if (value == null) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.");
        }
        return value;
    }

    private static String optionalString(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "The field '" + field + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    private static Boolean optionalBoolean(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw new ProtocolException(ErrorCode.INVALID_FIELD, "The field '" + field + "' must be true or false.");
    }
}
