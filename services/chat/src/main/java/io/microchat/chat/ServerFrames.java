package io.microchat.chat;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import io.microchat.protocol.Groups;
import io.microchat.protocol.ReconnectReason;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * What goes into every frame the server sends (docs/protocol.md, "Server to client"). Every frame is built once and
 * sent as the same string to every recipient. Client frames are read by {@link CommandDecoder}.
 */
final class ServerFrames {

    /**
     * Looked up once: every static {@code Json.createXxx} call looks the provider up again, which costs several
     * times the JSON work itself on this hot path.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final String PONG = JSON.createObjectBuilder().add(Field.TYPE, FrameType.PONG).build().toString();
    private static final String RECONNECT_DRAINING = JSON.createObjectBuilder().add(Field.TYPE, FrameType.RECONNECT)
            .add(Field.REASON, ReconnectReason.DRAINING).build().toString();

    private ServerFrames() {
    }

    static String welcome(String userId, String username, String instance, Collection<String> online,
                          int maxText, int ratePerSecond, int burst, long editWindowMillis,
                          UserPreferences.Settings settings) {
        return JSON.createObjectBuilder()
                .add(Field.TYPE, FrameType.WELCOME)
                .add(Field.USER, JSON.createObjectBuilder().add(Field.USER_ID, userId).add(Field.USERNAME, username))
                .add(Field.INSTANCE, instance)
                .add(Field.ONLINE, array(online))
                .add(Field.LIMITS, JSON.createObjectBuilder()
                        .add(Field.MAX_TEXT_LENGTH, maxText)
                        .add(Field.MESSAGES_PER_SECOND, ratePerSecond)
                        .add(Field.BURST, burst)
                        .add(Field.EDIT_WINDOW_MS, editWindowMillis))
                .add(Field.SETTINGS, settingsJson(settings))
                .build().toString();
    }

    static String message(ChatMessage message) {
        if (message.event() != null) {
            return messageJson(message).add(Field.TYPE, FrameType.MESSAGE).build().toString();
        }
        // the same fields in the same order as messageJson, written straight (JsonText)
        JsonText json = JsonText.object(112 + message.text().length())
                .add(Field.ID, message.id())
                .add(Field.FROM, message.from())
                .add(Field.TEXT, message.text())
                .add(Field.TS, message.ts());
        if (message.isGroup()) {
            json.add(Field.GROUP, message.group());
        } else if (message.isPrivate()) {
            json.add(Field.TO, message.to());
        } else {
            json.add(Field.ROOM, message.room());
        }
        if (message.deliveredAt() != null) {
            json.add(Field.DELIVERED_AT, message.deliveredAt());
        }
        if (message.edited() != null) {
            json.add(Field.EDITED, message.edited());
        }
        if (message.deleted()) {
            json.add(Field.DELETED, true);
        }
        return json.add(Field.TYPE, FrameType.MESSAGE).build();
    }

    static JsonObjectBuilder messageJson(ChatMessage message) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add(Field.ID, message.id())
                .add(Field.FROM, message.from())
                .add(Field.TEXT, message.text())
                .add(Field.TS, message.ts());
        if (message.isGroup()) {
            json.add(Field.GROUP, message.group());
            if (message.event() != null) {
                groupEvent(json, message.event());
            }
        } else if (message.isPrivate()) {
            json.add(Field.TO, message.to());
        } else {
            json.add(Field.ROOM, message.room());
        }
        if (message.deliveredAt() != null) {
            json.add(Field.DELIVERED_AT, message.deliveredAt());
        }
        if (message.edited() != null) {
            json.add(Field.EDITED, message.edited());
        }
        if (message.deleted()) {
            json.add(Field.DELETED, true);
        }
        return json;
    }

    static String sent(String clientId, String id, long ts) {
        return JsonText.object(96 + clientId.length()).add(Field.TYPE, FrameType.SENT).add(Field.CLIENT_ID, clientId)
                .add(Field.ID, id).add(Field.TS, ts).build();
    }

    static String delivered(String id, String by, long ts) {
        return JsonText.object(96 + by.length()).add(Field.TYPE, FrameType.DELIVERED).add(Field.ID, id)
                .add(Field.BY, by).add(Field.TS, ts).build();
    }

    /**
     * Who came online and who went offline.
     *
     * @param online   names now online
     * @param offline  names now offline
     * @param lastSeen when users of {@code offline} who show it were last online (may be empty)
     * @return the frame
     */
    static String presence(Collection<String> online, Collection<String> offline, Map<String, Long> lastSeen) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.PRESENCE)
                .add(Field.ONLINE, array(online)).add(Field.OFFLINE, array(offline));
        if (!lastSeen.isEmpty()) {
            JsonObjectBuilder seen = JSON.createObjectBuilder();
            lastSeen.forEach(seen::add);
            json.add(Field.LAST_SEEN, seen);
        }
        return json.build().toString();
    }

    static String history(String requestId, List<ChatMessage> messages, String next) {
        return history(requestId, messages, next, Map.of());
    }

    /**
     * A page of history.
     *
     * @param requestId the request's id, or null
     * @param messages  the page, newest first
     * @param next      the cursor of the next page, or null
     * @param markers   the other participants' read markers by username (omitted when empty)
     * @return the frame
     */
    static String history(String requestId, List<ChatMessage> messages, String next, Map<String, String> markers) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        messages.forEach(m -> items.add(messageJson(m)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.HISTORY)
                .add(Field.MESSAGES, items);
        if (requestId != null) {
            json.add(Field.REQUEST_ID, requestId);
        }
        if (next == null) {
            json.addNull(Field.NEXT);
        } else {
            json.add(Field.NEXT, next);
        }
        if (!markers.isEmpty()) {
            json.add(Field.MARKERS, stringMap(markers));
        }
        return json.build().toString();
    }

    /**
     * The user's conversations.
     *
     * @param requestId  the request's id, or null
     * @param userKey    the user
     * @param newest     the newest message of each conversation, most recent first
     * @param groupNames the names of the groups among them, by id
     * @param states     by conversation key: its unread count and markers (docs/protocol.md, "Unread counts")
     * @return the frame
     */
    static String conversations(String requestId, String userKey, List<ChatMessage> newest,
                                Map<String, String> groupNames, Map<String, ConversationState> states) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (ChatMessage message : newest) {
            JsonObjectBuilder item = JSON.createObjectBuilder();
            if (message.isGroup()) {
                item.add(Field.GROUP, message.group()).add(Field.NAME, groupNames.getOrDefault(message.group(), ""));
            } else {
                item.add(Field.WITH, userKey.equals(message.fromKey()) ? message.to() : message.from());
            }
            item.add(Field.LAST, messageJson(message));
            ConversationState state = states.get(message.conversation());
            if (state != null) {
                state.addTo(item);
            }
            items.add(item);
        }
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.CONVERSATIONS)
                .add(Field.CONVERSATIONS, items);
        if (requestId != null) {
            json.add(Field.REQUEST_ID, requestId);
        }
        return json.build().toString();
    }

    // ---- groups (docs/protocol.md, "Groups") -------------------------------------------------------------------

    /** A membership change's fields on its message: {@code event}, and {@code name}, {@code users}, {@code admins}. */
    private static void groupEvent(JsonObjectBuilder json, GroupStore.Event event) {
        json.add(Field.EVENT, event.event());
        if (event.name() != null) {
            json.add(Field.NAME, event.name());
        }
        if (!Groups.EVENT_LEFT.equals(event.event())) {
            json.add(Field.USERS, array(event.users()));
        } else if (!event.admins().isEmpty()) {
            json.add(Field.ADMINS, array(event.admins()));
        }
    }

    /**
     * A group, members listed admins first, then by when they joined: the answer to {@code group_info},
     * {@code group_create} and the admins' changes.
     *
     * @param requestId the request's id, or null
     * @param group     the group
     * @param markers   by username: the members' read markers the asking member may see
     * @param lastSeen  by user key: when the offline members who show it were last online
     * @return the frame
     */
    static String groupInfo(String requestId, GroupStore.Group group, Map<String, String> markers,
                            Map<String, Long> lastSeen) {
        JsonArrayBuilder members = JSON.createArrayBuilder();
        for (GroupStore.Member member : group.listed()) {
            JsonObjectBuilder item = JSON.createObjectBuilder().add(Field.MEMBER_USER, member.user())
                    .add(Field.ROLE, member.role()).add(Field.JOINED_AT, member.joinedAt());
            String readUpTo = markers.get(member.user());
            if (readUpTo != null) {
                item.add(Field.READ_UP_TO, readUpTo);
            }
            Long seen = lastSeen.get(member.key());
            if (seen != null) {
                item.add(Field.LAST_SEEN, seen);
            }
            members.add(item);
        }
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.GROUP_INFO)
                .add(Field.GROUP, group.id()).add(Field.NAME, group.name()).add(Field.CREATED_BY, group.createdBy())
                .add(Field.CREATED_AT, group.createdAt()).add(Field.MEMBERS, members);
        return withRequestId(json, requestId);
    }

    static String groupLeft(String requestId, String groupId) {
        return withRequestId(JSON.createObjectBuilder().add(Field.TYPE, FrameType.GROUP_LEFT)
                                     .add(Field.GROUP, groupId), requestId);
    }

    /**
     * The user's groups.
     *
     * @param requestId the request's id, or null
     * @param userKey   the user
     * @param groups    their groups, by name
     * @return the frame
     */
    static String groups(String requestId, String userKey, List<GroupStore.Group> groups) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (GroupStore.Group group : groups) {
            items.add(JSON.createObjectBuilder().add(Field.GROUP, group.id()).add(Field.NAME, group.name())
                              .add(Field.ROLE, group.isAdmin(userKey) ? Groups.ADMIN : Groups.MEMBER)
                              .add(Field.SIZE, group.members().size()));
        }
        return withRequestId(JSON.createObjectBuilder().add(Field.TYPE, FrameType.GROUPS).add(Field.GROUPS, items),
                             requestId);
    }

    private static String withRequestId(JsonObjectBuilder json, String requestId) {
        if (requestId != null) {
            json.add(Field.REQUEST_ID, requestId);
        }
        return json.build().toString();
    }

    /**
     * The end of a replay.
     *
     * @param count  messages replayed
     * @param before when truncated, the oldest id replayed (where a client pages back from); else null
     * @param after  the id the replay started after (null when it carried unconfirmed messages only); sent when
     *               truncated, for the pages
     * @return the frame
     */
    static String replayed(int count, String before, String after) {
        return replayedJson(count, before, after).build().toString();
    }

    /**
     * The end of a replay that carried changes to older messages too (a replay with {@code resumeAfter}).
     *
     * @param count            messages replayed
     * @param before           as for {@link #replayed(int, String, String)}
     * @param after            as for {@link #replayed(int, String, String)}
     * @param changes          {@code edited} and {@code deleted} frames replayed
     * @param changesTruncated whether older changes were left out
     * @return the frame
     */
    static String replayed(int count, String before, String after, int changes, boolean changesTruncated) {
        JsonObjectBuilder json = replayedJson(count, before, after).add(Field.CHANGES, changes);
        if (changesTruncated) {
            json.add(Field.CHANGES_TRUNCATED, true);
        }
        return json.build().toString();
    }

    private static JsonObjectBuilder replayedJson(int count, String before, String after) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.REPLAYED).add(Field.COUNT, count)
                .add(Field.TRUNCATED, before != null);
        if (before != null) {
            json.add(Field.BEFORE, before);
            if (after != null) {
                json.add(Field.AFTER, after);
            }
        }
        return json;
    }

    // ---- edits and deletes (issue 18) ----------------------------------------------------------------------

    /**
     * An {@code edited} or {@code deleted} frame: a message as a change left it, as one participant sees it (a
     * private message names the other user in {@code with}).
     *
     * @param change    the message after the change
     * @param viewerKey the participant it is for
     * @param clientId  the editor's id of the change, for the connection that made it; else null
     * @return the frame
     */
    static String change(MessageChanges.Change change, String viewerKey, String clientId) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add(Field.TYPE, change.deleted() ? FrameType.DELETED : FrameType.EDITED);
        if (clientId != null) {
            json.add(Field.CLIENT_ID, clientId);
        }
        json.add(Field.ID, change.id());
        if (change.group() != null) {
            json.add(Field.GROUP, change.group());
        } else if (change.room() != null) {
            json.add(Field.ROOM, change.room());
        } else {
            json.add(Field.WITH, viewerKey.equals(Users.key(change.from())) ? change.to() : change.from());
        }
        if (!change.deleted()) {
            json.add(Field.TEXT, change.text());
            if (change.editedAt() != null) {
                json.add(Field.EDITED_AT, change.editedAt());
            }
        }
        if (change.rev() != null) {
            json.add(Field.REV, change.rev());
        }
        return json.build().toString();
    }

    // ---- issue 18: read markers, read receipts, typing, settings ---------------------------------------------

    /**
     * The reader's own marker moved (to every device of the reader).
     *
     * @param conversation the conversation as the reader sees it
     * @param upTo         the marker
     * @param unread       the unread count after it
     * @return the frame
     */
    static String marker(ConversationMembers.Resolved conversation, String upTo, int unread) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.MARKER);
        named(json, conversation, conversation.peer());
        return json.add(Field.UP_TO, upTo).add(Field.UNREAD, unread).build().toString();
    }

    /**
     * A read receipt, to the other participants of a private or group conversation.
     *
     * @param by           the reader
     * @param conversation the conversation as the reader sees it
     * @param upTo         the marker
     * @param ts           when
     * @return the frame
     */
    static String readReceipt(String by, ConversationMembers.Resolved conversation, String upTo, long ts) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.READ).add(Field.BY, by);
        named(json, conversation, by);
        return json.add(Field.UP_TO, upTo).add(Field.TS, ts).build().toString();
    }

    /**
     * Someone types, to the other participants.
     *
     * @param from         the typer
     * @param conversation the conversation as the typer sees it
     * @return the frame
     */
    static String typing(String from, ConversationMembers.Resolved conversation) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.TYPING).add(Field.FROM, from);
        named(json, conversation, from);
        return json.build().toString();
    }

    /**
     * A user's settings as they now are (to every device of the user).
     *
     * @param settings the settings
     * @return the frame
     */
    static String settings(UserPreferences.Settings settings) {
        return JSON.createObjectBuilder().add(Field.TYPE, FrameType.SETTINGS)
                .add(Field.READ_RECEIPTS, settings.readReceipts()).add(Field.SHOW_LAST_SEEN, settings.showLastSeen())
                .build().toString();
    }

    private static JsonObjectBuilder settingsJson(UserPreferences.Settings settings) {
        return JSON.createObjectBuilder().add(Field.READ_RECEIPTS, settings.readReceipts())
                .add(Field.SHOW_LAST_SEEN, settings.showLastSeen());
    }

    /** Names a conversation in a frame: {@code with} (the name its receiver sees), {@code group} or {@code room}. */
    private static void named(JsonObjectBuilder json, ConversationMembers.Resolved conversation, String with) {
        if (conversation.group() != null) {
            json.add(Field.GROUP, conversation.group());
        } else if (conversation.peer() != null) {
            json.add(Field.WITH, with);
        } else {
            json.add(Field.ROOM, conversation.key().substring("room:".length()));
        }
    }

    /**
     * What an entry of {@code conversations} says about reading (docs/protocol.md, "Unread counts").
     *
     * @param unread   unread messages, up to 1,000
     * @param readUpTo the user's marker, or null
     * @param markers  the other participants' markers by username (empty when receipts are off on either side)
     * @param lastSeen a private peer's last seen (offline and showing it), or null
     */
    record ConversationState(int unread, String readUpTo, Map<String, String> markers, Long lastSeen) {

        void addTo(JsonObjectBuilder item) {
            item.add(Field.UNREAD, unread);
            if (readUpTo != null) {
                item.add(Field.READ_UP_TO, readUpTo);
            }
            if (!markers.isEmpty()) {
                item.add(Field.MARKERS, stringMap(markers));
            }
            if (lastSeen != null) {
                item.add(Field.LAST_SEEN, lastSeen);
            }
        }
    }

    private static JsonObjectBuilder stringMap(Map<String, String> values) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        values.forEach(json::add);
        return json;
    }

    /**
     * An error answer. Written straight ({@link JsonText}): at overload every refused send is answered with one.
     *
     * @param code      the error code
     * @param message   what happened, for people
     * @param clientId  the send's id, or null
     * @param requestId the request's id, or null
     * @return the frame
     */
    static String error(String code, String message, String clientId, String requestId) {
        return errorJson(code, message, clientId, requestId).build();
    }

    /**
     * The answer to a send or request refused because the instance is past a bound of its queues.
     *
     * @param message          what happened, for people
     * @param clientId         the send's id, or null
     * @param requestId        the request's id, or null
     * @param retryAfterMillis when to try again
     * @return the frame
     */
    static String overloaded(String message, String clientId, String requestId, long retryAfterMillis) {
        return errorJson(ErrorCode.OVERLOADED, message, clientId, requestId).add(Field.RETRY_AFTER_MS, retryAfterMillis)
                .build();
    }

    private static JsonText errorJson(String code, String message, String clientId, String requestId) {
        JsonText json = JsonText.object(64 + message.length()).add(Field.TYPE, FrameType.ERROR).add(Field.CODE, code)
                .add(Field.MESSAGE, message);
        if (clientId != null) {
            json.add(Field.CLIENT_ID, clientId);
        }
        if (requestId != null) {
            json.add(Field.REQUEST_ID, requestId);
        }
        return json;
    }

    static String reauthenticated(long expiresAt) {
        return JSON.createObjectBuilder().add(Field.TYPE, FrameType.REAUTHENTICATED).add(Field.EXPIRES_AT, expiresAt)
                .build().toString();
    }

    /**
     * Tells a client to connect again, to another instance: this one drains.
     *
     * @return the frame
     */
    static String reconnectElsewhere() {
        return RECONNECT_DRAINING;
    }

    static String pong() {
        return PONG;
    }

    private static JsonArrayBuilder array(Collection<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
