package io.microchat.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Rooms;

/**
 * What the commands about messages do, once a connection is authenticated: {@code send} (stored, then
 * acknowledged, then delivered by {@link Delivery}), {@code received} (receipts), {@code history} and
 * {@code conversations}.
 */
final class Messaging {

    /** How many recent messages a {@code conversations} request looks through, and how many it answers. */
    private static final int CONVERSATIONS_SCAN = 2_000;
    private static final int CONVERSATIONS_LIMIT = 100;

    private final MessageRepository store;
    private final UserDirectory users;
    private final Delivery delivery;
    private final PubSub bus;
    private final UserSendLimits sendLimits;
    private final OutboxBudgets budgets;
    private final ChatSettings.Limits limits;
    private final ChatMetrics metrics;
    private final ConversationReading reading;
    private final MessageIds ids = new MessageIds();
    /**
     * Messages this instance relayed a receipt for lately: a user's other devices confirm them too, within moments.
     * Bounded small (a repeat that slips through costs one more {@code delivered} frame, which clients ignore).
     */
    private final Map<String, Boolean> receipted = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 16_384;
                }
            });

    /**
     * Messaging.
     *
     * @param store      the messages
     * @param users      who is registered
     * @param delivery   how stored messages and receipts reach their recipients
     * @param bus        pub/sub (its backlog bounds the send path)
     * @param sendLimits the per-user send limit
     * @param budgets    the instance's outbox budgets (large answers wait while they are spent)
     * @param limits     the limits
     * @param metrics    metrics
     * @param reading    unread counts and read markers for {@code conversations} and {@code history}
     */
    Messaging(MessageRepository store, UserDirectory users, Delivery delivery, PubSub bus, UserSendLimits sendLimits,
              OutboxBudgets budgets, ChatSettings.Limits limits, ChatMetrics metrics, ConversationReading reading) {
        this.store = store;
        this.users = users;
        this.delivery = delivery;
        this.bus = bus;
        this.sendLimits = sendLimits;
        this.budgets = budgets;
        this.limits = limits;
        this.metrics = metrics;
        this.reading = reading;
    }

    /**
     * Stores a message, acknowledges it to its sender ({@code sent}), then delivers it.
     *
     * @param connection the sender's connection
     * @param send       the command
     */
    void send(Connection connection, Command.Send send) {
        if (!sendLimits.tryAcquire(connection.userKey())) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "More than " + limits.messagesPerSecond()
                    + " messages a second from this user; this one was dropped.");
        }
        long retryAfter = overloadedFor();
        if (retryAfter > 0) {
            throw new OverloadedException("The server is overloaded; this message was not stored. Send it again "
                                          + "with the same clientId after retryAfterMs.", retryAfter);
        }
        String recipient = null;
        if (send.to() != null) {
            recipient = users.registeredName(send.to()).orElseThrow(
                    () -> new ProtocolException(ErrorCode.UNKNOWN_USER, "There is no user '" + send.to() + "'."));
        }
        long now = System.currentTimeMillis();
        String clientId = send.clientId();
        ChatMessage message = new ChatMessage(ids.next(now), now, connection.username(), recipient,
                                              recipient == null ? Rooms.ALL : null, send.text(), clientId, null);
        metrics.received();
        store.store(message).whenComplete((stored, failure) -> {
            if (failure instanceof OverloadedException overloaded) {
                metrics.rejected(ErrorCode.OVERLOADED);
                connection.send(ServerFrames.overloaded("The send queue is full; this message was not stored.",
                                                        clientId, null, overloaded.retryAfterMillis()));
                return;
            }
            if (failure != null) {
                metrics.rejected(ErrorCode.STORE_UNAVAILABLE);
                connection.send(ServerFrames.error(ErrorCode.STORE_UNAVAILABLE,
                                                   "The message was not stored; send it again.", clientId, null));
                return;
            }
            connection.send(ServerFrames.sent(clientId, stored.message().id(), stored.message().ts()));
            if (FaultInjection.stallsBeforePublish(stored.message())) {
                return;
            }
            // a retry too: the instance that stored the first attempt may have died before it published it
            // (receivers drop an id they hold)
            delivery.route(stored.message(), connection);
        });
    }

    /**
     * The client holds these messages: the first confirmation of a private message by its recipient is recorded
     * and relayed to the sender.
     *
     * @param connection the recipient's connection
     * @param received   the command
     */
    void received(Connection connection, Command.Received received) {
        for (String id : received.ids()) {
            String sender = connection.recentSender(id);
            if (sender == null) {
                ChatMessage stored = store.find(id);
                if (stored == null || !connection.userKey().equals(stored.toKey())) {
                    continue; // only the recipient's confirmation counts
                }
                sender = stored.from();
            }
            if (receipted.putIfAbsent(id, Boolean.TRUE) != null) {
                continue; // another device of the recipient confirmed it already
            }
            String senderKey = Users.key(sender);
            String by = connection.username();
            store.markDelivered(id, at -> delivery.receipt(id, by, senderKey, at));
        }
    }

    /**
     * A page of one conversation.
     *
     * @param connection who asks
     * @param history    the command
     */
    void history(Connection connection, Command.History history) {
        requireOutboxRoom();
        String conversation = history.with() != null
                ? ChatMessage.privateConversation(connection.userKey(), Users.key(history.with()))
                : "room:" + history.room();
        List<ChatMessage> page = store.history(conversation, history.before(), history.limit() + 1);
        sendPage(connection, history.requestId(), page, history.limit(),
                 history.with() == null ? Map.of() : reading.peerMarkers(connection.userKey(), history.with()));
    }

    /**
     * A page of what a truncated replay left out, newest first: the same messages a replay carries (after
     * {@code after}, and the unconfirmed ones), older than {@code before}.
     *
     * @param connection who asks
     * @param missed     the command
     */
    void missedHistory(Connection connection, Command.MissedHistory missed) {
        sendPage(connection, missed.requestId(),
                 store.missed(connection.userKey(), missed.after(), missed.before(), missed.limit() + 1),
                 missed.limit(), Map.of());
    }

    /**
     * The user's conversations with their newest message.
     *
     * @param connection    who asks
     * @param conversations the command
     */
    void conversations(Connection connection, Command.Conversations conversations) {
        requireOutboxRoom();
        List<ChatMessage> newest = store.conversations(connection.userKey(), CONVERSATIONS_SCAN, CONVERSATIONS_LIMIT);
        connection.send(ServerFrames.conversations(conversations.requestId(), connection.userKey(), newest,
                                                   reading.states(connection.userKey(), newest)));
    }

    /** Sends a page of at most {@code limit} from one more, with the cursor of the next page when there is one. */
    private static void sendPage(Connection connection, String requestId, List<ChatMessage> onePastLimit, int limit,
                                 Map<String, String> markers) {
        List<ChatMessage> page = onePastLimit;
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1).id();
        }
        connection.send(ServerFrames.history(requestId, page, next, markers));
    }

    /**
     * Whether a send may join the send path now: the store's queue within its bound (see {@link QueueBound}), and
     * not too many publications waiting for pub/sub.
     *
     * @return 0 when it may; otherwise the milliseconds after which to retry
     */
    private long overloadedFor() {
        long retryAfter = store.overloadedFor();
        if (retryAfter == 0 && bus.backlog() > limits.publishBacklog()) {
            retryAfter = QueueBound.MIN_RETRY_MILLIS;
        }
        return retryAfter;
    }

    /** Large answers wait while the outboxes of this instance hold more than their total limit. */
    private void requireOutboxRoom() {
        if (budgets.overInstanceLimit()) {
            throw new OverloadedException("The server is busy sending; ask again after retryAfterMs.", 1_000);
        }
    }
}
