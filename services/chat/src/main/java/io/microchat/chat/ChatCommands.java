package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.Groups;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The fields of the client frames of groups and edits (docs/protocol.md, "Groups", "Editing and deleting"), read
 * into typed commands (read markers, typing and settings are decoded by {@link CommandDecoder} already): what the frame says, checked for shape and limits, and
 * nothing that needs storage (whether a user, group or message exists is the stores' question). Each reader throws
 * a {@link ProtocolException} with the documented code.
 */
final class ChatCommands {

    private static final int MAX_CLIENT_ID = 64;

    private ChatCommands() {
    }

    /** {@code group_create}. */
    record GroupCreate(String name, List<String> members) {
    }

    /** {@code group_add}, {@code group_remove}, {@code group_admin}. */
    record GroupUsers(String group, List<String> users) {
    }

    /** {@code edit}: {@code clientId} may be null. */
    record Edit(String id, String text, String clientId) {
    }

    /** {@code delete}: {@code clientId} may be null. */
    record Delete(String id, String clientId) {
    }

    /**
     * {@code group_create}.
     *
     * @param frame      the frame
     * @param maxMembers most members of a group
     * @return the command, the name trimmed
     */
    static GroupCreate groupCreate(JsonObject frame, int maxMembers) {
        String name = groupName(requiredString(frame, Field.NAME));
        List<String> members = frame.containsKey(Field.MEMBERS) ? usernames(frame, Field.MEMBERS, maxMembers)
                : List.of();
        return new GroupCreate(name, members);
    }

    /**
     * {@code group_add}, {@code group_remove}, {@code group_admin}: a group and at least one user.
     *
     * @param frame      the frame
     * @param maxMembers most members of a group: more names than that is {@code group_too_large}
     * @return the command
     */
    static GroupUsers groupUsers(JsonObject frame, int maxMembers) {
        String group = groupId(requiredString(frame, Field.GROUP));
        List<String> users = usernames(frame, Field.USERS, maxMembers);
        if (users.isEmpty()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "'users' must name at least one user.");
        }
        return new GroupUsers(group, users);
    }

    /**
     * {@code group_leave}, {@code group_info}: a group.
     *
     * @param frame the frame
     * @return the group id
     */
    static String group(JsonObject frame) {
        return groupId(requiredString(frame, Field.GROUP));
    }

    /**
     * A group name: trimmed, 1 to {@link Groups#MAX_NAME_LENGTH} characters, no control characters.
     *
     * @param raw the name as given
     * @return the name trimmed
     */
    static String groupName(String raw) {
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length == 0 || length > Groups.MAX_NAME_LENGTH || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new ProtocolException(ErrorCode.INVALID_GROUP_NAME, "A group name is 1 to "
                    + Groups.MAX_NAME_LENGTH + " characters (not counting spaces around it), without control "
                    + "characters.");
        }
        return name;
    }

    /**
     * {@code edit}.
     *
     * @param frame         the frame
     * @param maxTextLength the longest text
     * @return the command
     */
    static Edit edit(JsonObject frame, int maxTextLength) {
        String clientId = clientId(frame);
        String id = messageId(frame, Field.ID);
        String text = requiredString(frame, Field.TEXT);
        if (text.isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "'text' must not be empty; to remove a message, "
                    + "send 'delete'.");
        }
        if (text.length() > maxTextLength && text.codePointCount(0, text.length()) > maxTextLength) {
            throw new ProtocolException(ErrorCode.TEXT_TOO_LONG, "'text' must be at most " + maxTextLength
                    + " characters.");
        }
        return new Edit(id, text, clientId);
    }

    /**
     * {@code delete}.
     *
     * @param frame the frame
     * @return the command
     */
    static Delete delete(JsonObject frame) {
        String clientId = clientId(frame);
        return new Delete(messageId(frame, Field.ID), clientId);
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

    private static String clientId(JsonObject frame) {
        String clientId = optionalString(frame, Field.CLIENT_ID);
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID)) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "'clientId' must be 1 to " + MAX_CLIENT_ID
                    + " characters.");
        }
        return clientId;
    }

    /** A list of usernames, duplicates (in any case) dropped; more than {@code max}: {@code group_too_large}. */
    private static List<String> usernames(JsonObject frame, String field, int max) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.");
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "'" + field + "' must be an array of usernames.");
        }
        List<String> names = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (JsonValue item : value.asJsonArray()) {
            if (item.getValueType() != JsonValue.ValueType.STRING || ((JsonString) item).getString().isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_FIELD, "'" + field + "' must be an array of usernames.");
            }
            String name = ((JsonString) item).getString();
            if (!keys.contains(Users.key(name))) {
                keys.add(Users.key(name));
                names.add(name);
            }
        }
        if (names.size() > max) {
            throw new ProtocolException(ErrorCode.GROUP_TOO_LARGE, "A group has at most " + max + " members.");
        }
        return names;
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
}
