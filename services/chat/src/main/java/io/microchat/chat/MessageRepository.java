package io.microchat.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Where messages are kept, as the chat logic needs it: {@link MessageStore} (MongoDB) in a running instance, an
 * in-memory stand-in in unit tests. The methods are documented on {@link MessageStore}.
 */
interface MessageRepository {

    /**
     * Stores a message (group commit).
     *
     * @param message the message
     * @return completes with the outcome, or exceptionally ({@link OverloadedException}, a MongoDB error)
     */
    CompletableFuture<MessageStore.Stored> store(ChatMessage message);

    /**
     * Whether the send queue is past its bound.
     *
     * @return 0 when a send may join; otherwise the milliseconds after which to retry
     */
    long overloadedFor();

    /**
     * Records that a recipient's client confirmed a private message.
     *
     * @param messageId  the message
     * @param onRecorded gets the time recorded
     */
    void markDelivered(String messageId, LongConsumer onRecorded);

    /**
     * A page of a conversation, newest first.
     *
     * @param conversation the conversation key ({@link ChatMessage#conversation})
     * @param before       only smaller ids, or null
     * @param limit        page size
     * @return the messages
     */
    List<ChatMessage> history(String conversation, String before, int limit);

    /**
     * A page of a conversation that a user was a participant of (a group's history as that user saw it), newest
     * first.
     *
     * @param conversation the conversation key
     * @param participant  the user's key: only messages whose participants hold it
     * @param before       only smaller ids, or null
     * @param limit        page size
     * @return the messages
     */
    List<ChatMessage> history(String conversation, String participant, String before, int limit);

    /**
     * What a user may have missed, newest first.
     *
     * @param userKey the user
     * @param after   only larger ids (besides the unconfirmed ones), or null
     * @param before  only smaller ids, or null
     * @param limit   most messages
     * @return the messages
     */
    List<ChatMessage> missed(String userKey, String after, String before, int limit);

    /**
     * The user's private and group conversations, each with its newest message, most recent first.
     *
     * @param userKey the user
     * @param scan    how many recent messages to look through
     * @param limit   most conversations
     * @return the newest message of each
     */
    List<ChatMessage> conversations(String userKey, int scan, int limit);

    /**
     * One message.
     *
     * @param id the id
     * @return the message, or null
     */
    ChatMessage find(String id);

    /**
     * Waits until every queued write was done.
     *
     * @param timeoutMillis the longest wait
     * @return true when drained in time
     */
    boolean awaitDrained(long timeoutMillis);
}
