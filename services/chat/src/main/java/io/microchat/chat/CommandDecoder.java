package io.microchat.chat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import io.microchat.protocol.Groups;
import io.microchat.protocol.Rooms;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Reads a client frame (docs/protocol.md, "Client to server") into a {@link Command}, strictly: every rule about a
 * field is checked here, once, and a frame that breaks one is a {@link ProtocolException} naming the frame's
 * {@code clientId} and {@code requestId}. What the server sends back is {@link ServerFrames}.
 */
final class CommandDecoder {

    /** Longest {@code clientId} of a send. */
    static final int MAX_CLIENT_ID = 64;
    /** Most ids in one {@code received}. */
    static final int MAX_RECEIVED_IDS = 100;
    /** Longest {@code clientId} or {@code requestId} echoed on an error. */
    private static final int MAX_ECHO = 128;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 100;
    /** Looked up once: every static {@code Json.createXxx} call looks the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final int maxTextLength;
    private final int maxGroupMembers;

    /**
     * A decoder with the default group size.
     *
     * @param maxTextLength most characters (code points) in a message's text
     */
    CommandDecoder(int maxTextLength) {
        this(maxTextLength, Groups.DEFAULT_MAX_MEMBERS);
    }

    /**
     * A decoder.
     *
     * @param maxTextLength   most characters (code points) in a message's text
     * @param maxGroupMembers most members of a group: a group frame naming more users is {@code group_too_large}
     */
    CommandDecoder(int maxTextLength, int maxGroupMembers) {
        this.maxTextLength = maxTextLength;
        this.maxGroupMembers = maxGroupMembers;
    }

    /**
     * Decodes one whole client frame.
     *
     * @param text          the frame
     * @param authenticated whether the connection is authenticated (only {@code auth} comes before, and only once)
     * @return the command
     * @throws ProtocolException when the frame breaks a rule of the protocol
     */
    Command decode(String text, boolean authenticated) {
        JsonObject frame = parse(text);
        try {
            String type = requiredString(frame, Field.TYPE);
            if (!authenticated && !FrameType.AUTH.equals(type)) {
                throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "Send an 'auth' frame first.");
            }
            return switch (type) {
            case FrameType.AUTH -> auth(frame, authenticated);
            case FrameType.REAUTH -> new Command.Reauth(requiredString(frame, Field.TOKEN));
            case FrameType.SEND -> send(frame);
            case FrameType.RECEIVED -> received(frame);
            case FrameType.HISTORY -> frame.get(Field.MISSED) == JsonValue.TRUE ? missedHistory(frame) : history(frame);
            case FrameType.CONVERSATIONS -> new Command.Conversations(optionalString(frame, Field.REQUEST_ID));
            case FrameType.PING -> new Command.Ping();
            case FrameType.GROUP_CREATE -> groupCreate(frame);
            case FrameType.GROUP_ADD, FrameType.GROUP_REMOVE, FrameType.GROUP_ADMIN -> groupChange(frame, type);
            case FrameType.GROUP_LEAVE -> new Command.GroupLeave(optionalString(frame, Field.REQUEST_ID),
                                                                 groupId(requiredString(frame, Field.GROUP)));
            case FrameType.GROUP_INFO -> new Command.GroupInfo(optionalString(frame, Field.REQUEST_ID),
                                                               groupId(requiredString(frame, Field.GROUP)));
            case FrameType.GROUPS -> new Command.GroupList(optionalString(frame, Field.REQUEST_ID));
            case FrameType.EDIT -> edit(frame);
            case FrameType.DELETE -> new Command.Delete(optionalClientId(frame), messageId(frame, Field.ID));
            case FrameType.READ -> new Command.Read(conversation(frame, true), messageId(frame, Field.UP_TO));
            case FrameType.TYPING -> new Command.Typing(conversation(frame, false));
            case FrameType.SETTINGS -> settings(frame);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "Unknown frame type '" + type + "'.");
            };
        } catch (ProtocolException e) {
            throw e.answering(echo(frame, Field.CLIENT_ID), echo(frame, Field.REQUEST_ID));
        }
    }

    private static Command.Auth auth(JsonObject frame, boolean authenticated) {
        if (authenticated) {
            throw new ProtocolException(ErrorCode.ALREADY_AUTHENTICATED, "This connection is authenticated already.");
        }
        String token = requiredString(frame, Field.TOKEN);
        String resumeAfter = optionalString(frame, Field.RESUME_AFTER);
        if (resumeAfter != null && !MessageIds.isValid(resumeAfter)) {
            throw invalid("'resumeAfter' must be a message id.");
        }
        return new Command.Auth(token, resumeAfter);
    }

    private Command.Send send(JsonObject frame) {
        String clientId = requiredString(frame, Field.CLIENT_ID);
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
            throw invalid("'clientId' must be 1 to " + MAX_CLIENT_ID + " characters.");
        }
        String text = text(frame);
        String to = optionalString(frame, Field.TO);
        String room = optionalString(frame, Field.ROOM);
        String group = optionalString(frame, Field.GROUP);
        requireExactlyOne(to, room, group, "Give exactly one of 'to' (a username), 'group' or 'room'.");
        if (room != null) {
            requireKnownRoom(room);
        }
        return new Command.Send(clientId, text, to, room, group == null ? null : groupId(group));
    }

    /** A message's text: required, not blank, within the limit (as {@code send} and {@code edit} take it). */
    private String text(JsonObject frame) {
        String text = requiredString(frame, Field.TEXT);
        if (text.isBlank()) {
            throw invalid("'text' must not be empty.");
        }
        if (text.length() > maxTextLength && text.codePointCount(0, text.length()) > maxTextLength) {
            throw new ProtocolException(ErrorCode.TEXT_TOO_LONG, "'text' must be at most " + maxTextLength
                                                                 + " characters.");
        }
        return text;
    }

    private Command.Edit edit(JsonObject frame) {
        String clientId = optionalClientId(frame);
        String id = messageId(frame, Field.ID);
        return new Command.Edit(clientId, id, text(frame));
    }

    private static String optionalClientId(JsonObject frame) {
        String clientId = optionalString(frame, Field.CLIENT_ID);
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID)) {
            throw invalid("'clientId' must be 1 to " + MAX_CLIENT_ID + " characters.");
        }
        return clientId;
    }

    private static String messageId(JsonObject frame, String field) {
        String id = requiredString(frame, field);
        if (!MessageIds.isValid(id)) {
            throw invalid("'" + field + "' must be a message id.");
        }
        return id;
    }

    private static Command.Received received(JsonObject frame) {
        List<String> ids = stringList(frame, Field.IDS, MAX_RECEIVED_IDS);
        for (String id : ids) {
            if (!MessageIds.isValid(id)) {
                throw invalid("'ids' must hold message ids.");
            }
        }
        return new Command.Received(ids);
    }

    private static Command.History history(JsonObject frame) {
        String requestId = optionalString(frame, Field.REQUEST_ID);
        String with = optionalString(frame, Field.WITH);
        String room = optionalString(frame, Field.ROOM);
        String before = optionalString(frame, Field.BEFORE);
        String group = optionalString(frame, Field.GROUP);
        int limit = pageSize(frame);
        requireExactlyOne(with, room, group, "Give exactly one of 'with' (a username), 'group' or 'room'.");
        if (before != null && !MessageIds.isValid(before)) {
            throw invalid("'before' must be a message id.");
        }
        if (room != null) {
            requireKnownRoom(room);
        }
        return new Command.History(requestId, with, room, before, limit, group == null ? null : groupId(group));
    }

    private static Command.MissedHistory missedHistory(JsonObject frame) {
        String requestId = optionalString(frame, Field.REQUEST_ID);
        String after = optionalString(frame, Field.AFTER);
        String before = optionalString(frame, Field.BEFORE);
        int limit = pageSize(frame);
        if (frame.containsKey(Field.WITH) || frame.containsKey(Field.ROOM) || frame.containsKey(Field.GROUP)) {
            throw invalid("'missed' pages span every conversation: no 'with', 'group' or 'room'.");
        }
        if ((after != null && !MessageIds.isValid(after)) || (before != null && !MessageIds.isValid(before))) {
            throw invalid("'after' and 'before' must be message ids.");
        }
        return new Command.MissedHistory(requestId, after, before, limit);
    }

    /**
     * The conversation a frame names: exactly one of {@code with}, {@code group} or (when allowed) {@code room}.
     *
     * @param frame     the frame
     * @param allowRoom whether {@code room} may be given ({@code read}: yes; {@code typing}: no, {@code invalid_field})
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
                throw invalid("'with' must be a username.");
            }
            return new ConversationRef.Direct(with);
        }
        if (group != null) {
            if (!GroupStore.isValidId(group)) {
                throw new ProtocolException(ErrorCode.UNKNOWN_GROUP, "There is no group '" + group + "'.");
            }
            return new ConversationRef.InGroup(group);
        }
        if (!allowRoom) {
            throw invalid("Give 'with' (a username) or 'group', not 'room'.");
        }
        requireKnownRoom(room);
        return new ConversationRef.InRoom(room);
    }

    private static Command.ChangeSettings settings(JsonObject frame) {
        Boolean readReceipts = optionalBoolean(frame, Field.READ_RECEIPTS);
        Boolean showLastSeen = optionalBoolean(frame, Field.SHOW_LAST_SEEN);
        if (readReceipts == null && showLastSeen == null) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "Give 'readReceipts' or 'showLastSeen' (or both).");
        }
        return new Command.ChangeSettings(readReceipts, showLastSeen);
    }

    private static int pageSize(JsonObject frame) {
        return optionalInt(frame, Field.LIMIT, DEFAULT_PAGE, 1, MAX_PAGE);
    }

    private static void requireExactlyOne(String a, String b, String c, String message) {
        int given = (a == null ? 0 : 1) + (b == null ? 0 : 1) + (c == null ? 0 : 1);
        if (given != 1) {
            throw new ProtocolException(given == 0 ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD, message);
        }
    }

    // ---- groups ----------------------------------------------------------------------------------------------

    private Command.GroupCreate groupCreate(JsonObject frame) {
        String requestId = optionalString(frame, Field.REQUEST_ID);
        String name = groupName(requiredString(frame, Field.NAME));
        JsonValue given = frame.get(Field.MEMBERS);
        List<String> members = given == null || given.getValueType() == JsonValue.ValueType.NULL ? List.of()
                : usernames(frame, Field.MEMBERS);
        return new Command.GroupCreate(requestId, name, members);
    }

    private Command.GroupChange groupChange(JsonObject frame, String type) {
        String requestId = optionalString(frame, Field.REQUEST_ID);
        String group = groupId(requiredString(frame, Field.GROUP));
        List<String> users = usernames(frame, Field.USERS);
        if (users.isEmpty()) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "'users' must name at least one user.");
        }
        return new Command.GroupChange(requestId, type, group, users);
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

    /** A group id: a malformed one names no group. */
    private static String groupId(String group) {
        if (!GroupStore.isValidId(group)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_GROUP, "There is no group '" + group + "'.");
        }
        return group;
    }

    /** A list of usernames, duplicates (in any case) dropped; more than a group holds: {@code group_too_large}. */
    private List<String> usernames(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.");
        }
        String notNames = "'" + field + "' must be an array of usernames.";
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw invalid(notNames);
        }
        List<String> names = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonValue item : value.asJsonArray()) {
            if (!(item instanceof JsonString string) || string.getString().isEmpty()) {
                throw invalid(notNames);
            }
            if (keys.add(Users.key(string.getString()))) {
                names.add(string.getString());
            }
        }
        if (names.size() > maxGroupMembers) {
            throw new ProtocolException(ErrorCode.GROUP_TOO_LARGE, "A group has at most " + maxGroupMembers
                                                                   + " members.");
        }
        return names;
    }

    private static void requireKnownRoom(String room) {
        if (!Rooms.ALL.equals(room)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_ROOM, "The only room is '" + Rooms.ALL + "'.");
        }
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_FIELD, message);
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    private static JsonObject parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ProtocolException(ErrorCode.MALFORMED_JSON, "A frame must be a JSON object.");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "The frame is not valid JSON.");
        }
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
            throw invalid("The field '" + field + "' must be a string.");
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
        throw invalid("The field '" + field + "' must be true or false.");
    }

    private static int optionalInt(JsonObject frame, String field, int fallback, int min, int max) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw invalid("The field '" + field + "' must be a whole number.");
        }
        int number = ((JsonNumber) value).intValue();
        if (number < min || number > max) {
            throw invalid("The field '" + field + "' must be between " + min + " and " + max + ".");
        }
        return number;
    }

    private static List<String> stringList(JsonObject frame, String field, int maxItems) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new ProtocolException(ErrorCode.MISSING_FIELD, "The field '" + field + "' is required.");
        }
        String notStrings = "The field '" + field + "' must be an array of strings.";
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw invalid(notStrings);
        }
        var array = value.asJsonArray();
        if (array.size() > maxItems) {
            throw invalid("The field '" + field + "' holds at most " + maxItems + " items.");
        }
        return array.stream().map(item -> {
            if (item.getValueType() != JsonValue.ValueType.STRING) {
                throw invalid(notStrings);
            }
            return ((JsonString) item).getString();
        }).toList();
    }

    private static String echo(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        return value instanceof JsonString string && string.getString().length() <= MAX_ECHO ? string.getString()
                : null;
    }
}
