package io.microchat.chat;

import java.util.List;

/**
 * A client frame, decoded and validated once ({@link CommandDecoder}); handlers take these, never JSON. The fields
 * and their rules are in docs/protocol.md, "Client to server".
 */
sealed interface Command {

    /**
     * The client's id of the send this frame is, echoed on its errors.
     *
     * @return the id, or null
     */
    default String clientId() {
        return null;
    }

    /**
     * The client's id of the request this frame is, echoed on its answer and errors.
     *
     * @return the id, or null
     */
    default String requestId() {
        return null;
    }

    /**
     * {@code auth}: the first frame.
     *
     * @param token       the access token
     * @param resumeAfter the newest message id the client holds, or null
     */
    record Auth(String token, String resumeAfter) implements Command {
    }

    /**
     * {@code reauth}: a fresh access token for the open connection.
     *
     * @param token the access token
     */
    record Reauth(String token) implements Command {
    }

    /**
     * {@code send}: a message to a user, a group or the room (exactly one of {@code to}, {@code group},
     * {@code room}).
     *
     * @param clientId the client's id of the message (1 to {@link CommandDecoder#MAX_CLIENT_ID} characters)
     * @param text     the text, not blank, within the text limit
     * @param to       the recipient's username as the client spelt it, or null
     * @param room     {@link io.microchat.protocol.Rooms#ALL}, or null
     * @param group    a well-formed group id, or null
     */
    record Send(String clientId, String text, String to, String room, String group) implements Command {
    }

    /**
     * {@code received}: the client holds these messages.
     *
     * @param ids message ids, at most {@link CommandDecoder#MAX_RECEIVED_IDS}
     */
    record Received(List<String> ids) implements Command {
    }

    /**
     * {@code history}: a page of one conversation, newest first.
     *
     * @param requestId the request's id, or null
     * @param with      the other user of a private conversation, or null
     * @param room      {@link io.microchat.protocol.Rooms#ALL}, or null
     * @param before    page before this message id, or null for the newest
     * @param limit     page size
     * @param group     a well-formed group id, or null
     */
    record History(String requestId, String with, String room, String before, int limit, String group)
            implements Command {
    }

    /**
     * {@code history} with {@code missed}: a page of what a truncated replay left out, newest first.
     *
     * @param requestId the request's id, or null
     * @param after     the replay's {@code after}, or null
     * @param before    page before this message id, or null
     * @param limit     page size
     */
    record MissedHistory(String requestId, String after, String before, int limit) implements Command {
    }

    /**
     * {@code conversations}: the user's conversations with their newest message.
     *
     * @param requestId the request's id, or null
     */
    record Conversations(String requestId) implements Command {
    }

    // ---- edits and deletes (issue 18) ----------------------------------------------------------------------

    /**
     * {@code edit}: the sender changes the text of a message.
     *
     * @param clientId the client's id of the change (1 to {@link CommandDecoder#MAX_CLIENT_ID} characters), or null
     * @param id       the message id
     * @param text     the new text, not blank, within the text limit
     */
    record Edit(String clientId, String id, String text) implements Command {
    }

    /**
     * {@code delete}: the sender removes a message's text.
     *
     * @param clientId the client's id of the change, or null
     * @param id       the message id
     */
    record Delete(String clientId, String id) implements Command {
    }

    /** {@code ping}: answered with {@code pong}. */
    record Ping() implements Command {
    }

    // ---- groups (docs/protocol.md, "Groups"); handled by GroupChats ------------------------------------------

    /** A frame about groups: {@code group_create}, {@code group_add}, ... {@code groups}. */
    sealed interface GroupRequest extends Command {
    }

    /**
     * {@code group_create}.
     *
     * @param requestId the request's id, or null
     * @param name      the name, trimmed, 1 to {@link io.microchat.protocol.Groups#MAX_NAME_LENGTH} characters
     * @param members   usernames besides the creator as the client spelt them, duplicates (any case) dropped
     */
    record GroupCreate(String requestId, String name, List<String> members) implements GroupRequest {
    }

    /**
     * {@code group_add}, {@code group_remove} or {@code group_admin}: an admin's change naming users.
     *
     * @param requestId the request's id, or null
     * @param type      the frame type ({@link io.microchat.protocol.FrameType#GROUP_ADD}, ...)
     * @param group     a well-formed group id
     * @param users     at least one username, duplicates (any case) dropped, at most the group's maximum
     */
    record GroupChange(String requestId, String type, String group, List<String> users) implements GroupRequest {
    }

    /**
     * {@code group_leave}.
     *
     * @param requestId the request's id, or null
     * @param group     a well-formed group id
     */
    record GroupLeave(String requestId, String group) implements GroupRequest {
    }

    /**
     * {@code group_info}.
     *
     * @param requestId the request's id, or null
     * @param group     a well-formed group id
     */
    record GroupInfo(String requestId, String group) implements GroupRequest {
    }

    /**
     * {@code groups}: the user's groups.
     *
     * @param requestId the request's id, or null
     */
    record GroupList(String requestId) implements GroupRequest {
    }

    // ---- issue 18: read markers, typing, settings (docs/protocol.md, "Read markers" .. "Last seen") ----------

    /**
     * {@code read}: the user has read a conversation up to a message.
     *
     * @param conversation the conversation (private, group or the room)
     * @param upTo         a message id
     */
    record Read(ConversationRef conversation, String upTo) implements Command {
    }

    /**
     * {@code typing}: the user types in a private or group conversation.
     *
     * @param conversation the conversation (never the room)
     */
    record Typing(ConversationRef conversation) implements Command {
    }

    /**
     * {@code settings}: changes the user's settings; null leaves one as it is, and at least one is given.
     *
     * @param readReceipts whether the user sends and sees read receipts, or null
     * @param showLastSeen whether others see when the user was last online, or null
     */
    record ChangeSettings(Boolean readReceipts, Boolean showLastSeen) implements Command {
    }
}
