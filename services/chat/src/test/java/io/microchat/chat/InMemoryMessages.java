package io.microchat.chat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Messages in memory, for unit tests, with the queries of {@link MessageStore}. A store can be made to wait, like
 * a group commit in progress.
 */
final class InMemoryMessages implements MessageRepository {

    private final Map<String, ChatMessage> byId = new ConcurrentSkipListMap<>();
    /** When set, {@link #store} completes only once it is counted down. */
    volatile CountDownLatch storeGate;
    /** What {@link #overloadedFor} answers: above 0, the store is past its bound. */
    volatile long overloadedFor;

    /**
     * A message as if stored earlier.
     *
     * @param message the message
     */
    void add(ChatMessage message) {
        byId.put(message.id(), message);
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    @Override
    public CompletableFuture<MessageStore.Stored> store(ChatMessage message) {
        CountDownLatch gate = storeGate;
        if (gate == null) {
            add(message);
            return CompletableFuture.completedFuture(new MessageStore.Stored(message, false));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            add(message);
            return new MessageStore.Stored(message, false);
        }, Thread::startVirtualThread);
    }

    @Override
    public long overloadedFor() {
        return overloadedFor;
    }

    @Override
    public void markDelivered(String messageId, LongConsumer onRecorded) {
        long now = System.currentTimeMillis();
        byId.computeIfPresent(messageId, (id, m) -> new ChatMessage(m.id(), m.ts(), m.from(), m.to(), m.room(),
                                                                    m.text(), m.clientId(), now));
        onRecorded.accept(now);
    }

    @Override
    public List<ChatMessage> history(String conversation, String before, int limit) {
        return newestFirst(m -> m.conversation().equals(conversation)
                                && (before == null || m.id().compareTo(before) < 0), limit);
    }

    @Override
    public List<ChatMessage> history(String conversation, String participant, String before, int limit) {
        return newestFirst(m -> m.conversation().equals(conversation) && m.participants().contains(participant)
                                && (before == null || m.id().compareTo(before) < 0), limit);
    }

    @Override
    public List<ChatMessage> missed(String userKey, String after, String before, int limit) {
        return newestFirst(m -> (m.participants().contains(userKey) || m.participants().contains(ChatMessage.EVERYONE))
                                && ((after != null && m.id().compareTo(after) > 0)
                                    || (userKey.equals(m.toKey()) && m.deliveredAt() == null))
                                && (before == null || m.id().compareTo(before) < 0), limit);
    }

    @Override
    public List<ChatMessage> conversations(String userKey, int scan, int limit) {
        return newestFirst(m -> m.participants().contains(userKey), limit);
    }

    @Override
    public ChatMessage find(String id) {
        return byId.get(id);
    }

    @Override
    public boolean awaitDrained(long timeoutMillis) {
        return true;
    }

    private List<ChatMessage> newestFirst(Predicate<ChatMessage> filter, int limit) {
        return byId.values().stream().filter(filter).sorted(Comparator.comparing(ChatMessage::id).reversed())
                .limit(limit).toList();
    }
}
