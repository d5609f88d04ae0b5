package io.microchat.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages lately written to one connection: so that a message reaching it twice (locally and through
 * pub/sub, or live and replayed) goes out once, so that the client's confirmations find the sender without a
 * database read, and so that a catch-up knows where to start. Thread-safe (every method holds this object's
 * monitor, which guards both fields). The map is made at the first message: a connection that never got one
 * holds none.
 */
final class RecentDeliveries {

    /**
     * Enough for a client's confirmations to find the sender (they follow the message within a burst); small
     * because every connection holds one and entries that outlive a young collection make the collector copy them.
     */
    private static final int SIZE = 64;

    /** Message id to the sender for private messages to this user, "" for others; null before the first. */
    private Map<String, String> senders;
    private String lastId;

    /**
     * Records a message about to be written.
     *
     * @param message the message
     * @param toMe    whether it is a private message to this connection's user
     * @return false when it was written lately (not again)
     */
    synchronized boolean record(ChatMessage message, boolean toMe) {
        if (senders == null) {
            senders = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > SIZE;
                }
            };
        } else if (senders.containsKey(message.id())) {
            return false;
        }
        senders.put(message.id(), toMe ? message.from() : "");
        if (lastId == null || message.id().compareTo(lastId) > 0) {
            lastId = message.id();
        }
        return true;
    }

    /**
     * The sender of a private message to this user written lately.
     *
     * @param messageId the id
     * @return the sender's username, or null when not written lately or not to this user
     */
    synchronized String senderOf(String messageId) {
        String sender = senders == null ? null : senders.get(messageId);
        return sender == null || sender.isEmpty() ? null : sender;
    }

    synchronized boolean contains(String messageId) {
        return senders != null && senders.containsKey(messageId);
    }

    /**
     * The largest message id written, where a catch-up starts.
     *
     * @return the id, or null before the first
     */
    synchronized String lastId() {
        return lastId;
    }
}
