package io.microchat.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.conversions.Bson;

/**
 * Messages in MongoDB, collection {@code messages}: MongoDB is the truth, and a message is acknowledged only
 * once stored.
 *
 * <p>Writes are group-committed: concurrent sends are queued and inserted with one {@code insertMany} per batch
 * (unordered, so one bad document does not hold back the rest). A retried send (same sender, same
 * {@code clientId}) hits a unique index and resolves to the message stored the first time, so a client that
 * lost an acknowledgement can retry without creating a duplicate. Receipts are batched the same way, one
 * {@code updateMany} per batch.
 *
 * <p>Durability in a replica set: every write waits for {@code w: majority} with journaling, and every read uses
 * read concern {@code majority}, so history never shows a message a failover could roll back. What a failed
 * {@code insertMany} means for each message of the batch is decided by {@link InsertOutcomes}.
 */
final class MessageStore implements MessageRepository, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(MessageStore.class.getName());
    private static final int MAX_BATCH = 1_000;
    private static final int MAX_QUEUED = 100_000;
    /** The oldest receipt may wait this many times the send queue's age bound before sends are refused. */
    static final int RECEIPT_AGE_FACTOR = 10;
    /** Acknowledged only once on a majority of the replica set's journals. */
    static final WriteConcern WRITE_CONCERN = WriteConcern.MAJORITY.withJournal(true);
    /** Never returns what a failover can roll back. */
    static final ReadConcern READ_CONCERN = ReadConcern.MAJORITY;

    private final MongoCollection<ChatMessage> messages;
    private final ChatMetrics metrics;
    private final QueueBound sendQueue;
    private final Batcher<PendingInsert> inserts;
    private final Batcher<Receipt> receipts;
    private volatile boolean indexesReady;

    /**
     * A store with the default bound of its send queue.
     *
     * @param db      the database
     * @param metrics metrics
     */
    MessageStore(MongoDatabase db, ChatMetrics metrics) {
        this(db, metrics, new QueueBound(MAX_QUEUED, Long.MAX_VALUE));
    }

    /**
     * A store.
     *
     * @param db        the database
     * @param metrics   metrics
     * @param sendQueue past this bound, {@link #overloadedFor} asks senders to come back later
     */
    MessageStore(MongoDatabase db, ChatMetrics metrics, QueueBound sendQueue) {
        this.messages = db.getCollection("messages", ChatMessage.class).withCodecRegistry(
                CodecRegistries.fromRegistries(CodecRegistries.fromCodecs(new ChatMessageCodec()),
                                               db.getCodecRegistry()))
                .withWriteConcern(WRITE_CONCERN)
                .withReadConcern(READ_CONCERN);
        this.metrics = metrics;
        this.sendQueue = sendQueue;
        this.inserts = new Batcher<>("message-writer", MAX_BATCH, sendQueue.capacity(), this::insertBatch);
        this.receipts = new Batcher<>("receipt-writer", MAX_BATCH, MAX_QUEUED, this::receiptBatch);
    }

    /** Starts the threads that write batches of messages and receipts. */
    void start() {
        inserts.start();
        receipts.start();
    }

    /** Creates the indexes history, replay and idempotent sends rely on; idempotent. */
    synchronized void ensureIndexes() {
        if (indexesReady) {
            return;
        }
        messages.createIndex(Indexes.ascending("fromLower", "clientId"),
                             new IndexOptions().unique(true).name("send_idempotency"));
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("conv"), Indexes.descending("_id")),
                             new IndexOptions().name("history"));
        messages.createIndex(Indexes.ascending("participants", "_id"), new IndexOptions().name("replay"));
        // a group as one user received it: a former member's history and unread count
        messages.createIndex(Indexes.compoundIndex(Indexes.ascending("conv", "participants"),
                                                   Indexes.descending("_id")),
                             new IndexOptions().name("conversation_participants"));
        messages.createIndex(Indexes.ascending("toLower", "deliveredAt"), new IndexOptions().name("undelivered"));
        indexesReady = true;
    }

    /**
     * Stores a message.
     *
     * @param message the message
     * @return completes with the stored outcome, or exceptionally when MongoDB refused or is down
     */
    @Override
    public CompletableFuture<Stored> store(ChatMessage message) {
        CompletableFuture<Stored> result = new CompletableFuture<>();
        if (!inserts.offer(new PendingInsert(message, result))) {
            result.completeExceptionally(new OverloadedException("the send queue is full",
                                                                 QueueBound.MIN_RETRY_MILLIS));
        }
        return result;
    }

    /**
     * Whether the store is behind: the send queue full, or its oldest send (queued, or in the insert being written)
     * waiting longer than the bound, or the oldest receipt waiting longer than {@link #RECEIPT_AGE_FACTOR} times
     * that. Receipts count because they share the store with the inserts and most come from sends: refusing sends
     * lets a store that cannot keep up with both catch up, instead of the receipt queue growing for as long as the
     * overload lasts. Their bound is looser because receipts are best effort and a burst of them (the
     * confirmations of a reconnect storm's replays) is not a reason to refuse sends for long.
     *
     * @return 0 when a send may join; otherwise the milliseconds after which to retry
     */
    @Override
    public long overloadedFor() {
        return Math.max(sendQueue.retryAfterMillis(inserts.size(), inserts.oldestWaitMillis()),
                        sendQueue.retryAfterMillis(0, receipts.oldestWaitMillis() / RECEIPT_AGE_FACTOR));
    }

    /**
     * Records that a recipient's client confirmed a private message. Receipts are batched like messages: one
     * update per batch records the batch's time as {@code deliveredAt} of every message in it (an earlier time
     * that another instance recorded stays).
     * The caller has checked that the confirming user is the recipient.
     *
     * @param messageId  the message
     * @param onRecorded gets the time recorded once the batch was written (also when the write failed: a receipt
     *                   is best effort, and the message is replayed until a confirmation is stored)
     */
    @Override
    public void markDelivered(String messageId, LongConsumer onRecorded) {
        if (!receipts.offer(new Receipt(messageId, onRecorded))) {
            metrics.error("mongodb");
            onRecorded.accept(System.currentTimeMillis());
        }
    }

    /**
     * A page of a conversation, newest first.
     *
     * @param conversation the conversation key
     * @param before       only messages with a smaller id, or null for the newest
     * @param limit        page size
     * @return the messages
     */
    @Override
    public List<ChatMessage> history(String conversation, String before, int limit) {
        Bson filter = before == null ? Filters.eq("conv", conversation)
                : Filters.and(Filters.eq("conv", conversation), Filters.lt("_id", before));
        return read(filter, Sorts.descending("_id"), limit);
    }

    /**
     * A page of a conversation limited to the messages a user was a participant of (the history of a group as one
     * member saw it: from their joining to their removal), newest first; through the history index.
     *
     * @param conversation the conversation key
     * @param participant  the user's key
     * @param before       only messages with a smaller id, or null for the newest
     * @param limit        page size
     * @return the messages
     */
    @Override
    public List<ChatMessage> history(String conversation, String participant, String before, int limit) {
        Bson filter = Filters.and(Filters.eq("conv", conversation), Filters.eq("participants", participant));
        return read(before == null ? filter : Filters.and(filter, Filters.lt("_id", before)), Sorts.descending("_id"),
                    limit);
    }

    /**
     * What a user may have missed, newest first: every private message to or from them and every broadcast with
     * an id above {@code after}, and every private message to them that no client of theirs confirmed yet.
     * A replay sends the newest of these; a client pages back through the rest with {@code before}.
     *
     * @param userKey the user
     * @param after   only messages with a larger id (besides the unconfirmed ones), or null for the unconfirmed
     *                ones alone
     * @param before  only messages with a smaller id, or null for the newest
     * @param limit   most messages
     * @return the messages, newest first
     */
    @Override
    public List<ChatMessage> missed(String userKey, String after, String before, int limit) {
        TreeMap<String, ChatMessage> union = new TreeMap<>(Comparator.reverseOrder());
        Bson below = before == null ? null : Filters.lt("_id", before);
        if (after != null) {
            Bson since = Filters.and(Filters.in("participants", userKey, ChatMessage.EVERYONE),
                                     Filters.gt("_id", after));
            read(below == null ? since : Filters.and(since, below), Sorts.descending("_id"), limit)
                    .forEach(m -> union.put(m.id(), m));
        }
        Bson unconfirmed = Filters.and(Filters.eq("toLower", userKey), Filters.eq("deliveredAt", null));
        read(below == null ? unconfirmed : Filters.and(unconfirmed, below), Sorts.descending("_id"), limit)
                .forEach(m -> union.put(m.id(), m));
        // each query returned the newest of its part, so the newest of their union are the newest of the whole
        return union.values().stream().limit(limit).toList();
    }

    /**
     * The user's private and group conversations, most recent first, each with its newest message (from the
     * newest {@code scan} private and group messages the user was a participant of; broadcasts have {@code *}).
     *
     * @param userKey the user
     * @param scan    how many recent messages to look through
     * @param limit   most conversations
     * @return the newest message of each conversation
     */
    @Override
    public List<ChatMessage> conversations(String userKey, int scan, int limit) {
        Map<String, ChatMessage> newest = new java.util.LinkedHashMap<>();
        for (ChatMessage message : read(Filters.eq("participants", userKey),
                                        Sorts.descending("_id"), scan)) {
            newest.putIfAbsent(message.conversation(), message);
            if (newest.size() >= limit) {
                break;
            }
        }
        return new ArrayList<>(newest.values());
    }

    /**
     * One message.
     *
     * @param id the id
     * @return the message, or null
     */
    @Override
    public ChatMessage find(String id) {
        return messages.find(Filters.eq("_id", id)).first();
    }

    @Override
    public boolean awaitDrained(long timeoutMillis) {
        return inserts.awaitDrained(timeoutMillis) && receipts.awaitDrained(timeoutMillis);
    }

    @Override
    public void close() {
        inserts.close();
        receipts.close();
    }

    private List<ChatMessage> read(Bson filter, Bson sort, int limit) {
        return messages.find(filter).sort(sort).limit(limit).into(new ArrayList<>());
    }

    private void insertBatch(List<PendingInsert> batch) {
        List<ChatMessage> documents = batch.stream().map(PendingInsert::message).toList();
        MongoException failure = null;
        try {
            ensureIndexes();
            messages.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoException e) {
            failure = e;
        } catch (IllegalStateException e) {
            failure = new MongoException("storing failed: " + e.getMessage(), e);
        }
        List<InsertOutcomes.Outcome> outcomes = InsertOutcomes.of(batch.size(), failure);
        if (outcomes.contains(InsertOutcomes.Outcome.FAILED)) {
            metrics.error("mongodb");
            MongoException cause = failure;
            LOGGER.warning(() -> "storing " + batch.size() + " messages failed (reported as not stored): " + cause);
        }
        int stored = 0;
        for (int i = 0; i < batch.size(); i++) {
            PendingInsert pending = batch.get(i);
            switch (outcomes.get(i)) {
                case STORED -> {
                    stored++;
                    pending.result().complete(new Stored(pending.message(), false));
                }
                case DUPLICATE -> resolveRetry(pending);
                case FAILED -> pending.result().completeExceptionally(failure);
            }
        }
        metrics.stored(stored);
    }

    /**
     * A retried send: the original, read with read concern majority, so that a retry is acknowledged only when
     * the original can no longer be rolled back; until then it is reported as not stored and retried again.
     */
    private void resolveRetry(PendingInsert pending) {
        ChatMessage message = pending.message();
        try {
            ChatMessage original = messages.find(Filters.and(Filters.eq("fromLower", message.fromKey()),
                                                          Filters.eq("clientId", message.clientId()))).first();
            if (original == null) {
                pending.result().completeExceptionally(new MongoException("duplicate without an original"));
            } else {
                pending.result().complete(new Stored(original, true));
            }
        } catch (MongoException e) {
            metrics.error("mongodb");
            pending.result().completeExceptionally(e);
        }
    }

    private void receiptBatch(List<Receipt> batch) {
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>(batch.size());
        for (Receipt receipt : batch) {
            ids.add(receipt.messageId());
        }
        try {
            // by _id alone (the hub checked that the confirming user is the recipient); $min keeps the first
            // confirmation, since deliveredAt is absent until then
            messages.updateMany(Filters.in("_id", ids), Updates.min("deliveredAt", now));
        } catch (MongoException e) {
            metrics.error("mongodb");
            LOGGER.warning(() -> "recording " + batch.size() + " receipts failed: " + e);
        }
        for (Receipt receipt : batch) {
            receipt.onRecorded().accept(now);
        }
    }

    /**
     * The outcome of a store.
     *
     * @param message   the stored message (the original one for a retried send)
     * @param duplicate whether this was a retry of a message stored before
     */
    record Stored(ChatMessage message, boolean duplicate) {
    }

    private record PendingInsert(ChatMessage message, CompletableFuture<Stored> result) {
    }

    private record Receipt(String messageId, LongConsumer onRecorded) {
    }
}
