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
     * {@code send}: a message to a user or to the room.
     *
     * @param clientId the client's id of the message (1 to {@link CommandDecoder#MAX_CLIENT_ID} characters)
     * @param text     the text, not blank, within the text limit
     * @param to       the recipient's username as the client spelt it, or null for the room
     * @param room     {@link io.microchat.protocol.Rooms#ALL}, or null for a private message
     */
    record Send(String clientId, String text, String to, String room) implements Command {
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
     * @param with      the other user of a private conversation, or null for the room
     * @param room      {@link io.microchat.protocol.Rooms#ALL}, or null
     * @param before    page before this message id, or null for the newest
     * @param limit     page size
     */
    record History(String requestId, String with, String room, String before, int limit) implements Command {
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

    /** {@code ping}: answered with {@code pong}. */
    record Ping() implements Command {
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
