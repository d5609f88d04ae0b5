package io.microchat.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Rooms;

/**
 * What the commands about messages do, once a connection is authenticated: {@code send} (stored, then
 * acknowledged, then delivered by {@link Delivery}), {@code received} (receipts), {@code history} and
 * {@code conversations}; a send to a group, a group's history and its membership events (whose changes are
 * {@link GroupChats}').
 */
final class Messaging {

    /** How many recent messages a {@code conversations} request looks through, and how many it answers. */
    private static final int CONVERSATIONS_SCAN = 2_000;
    private static final int CONVERSATIONS_LIMIT = 100;

    private static final Logger LOGGER = Logger.getLogger(Messaging.class.getName());

    private final MessageRepository store;
    private final UserDirectory users;
    private final GroupStore groups;
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
     * @param groups     the groups (who may send to and read a group)
     * @param delivery   how stored messages and receipts reach their recipients
     * @param bus        pub/sub (its backlog bounds the send path)
     * @param sendLimits the per-user send limit
     * @param budgets    the instance's outbox budgets (large answers wait while they are spent)
     * @param limits     the limits
     * @param metrics    metrics
     * @param reading    unread counts and read markers for {@code conversations} and {@code history}
     */
    Messaging(MessageRepository store, UserDirectory users, GroupStore groups, Delivery delivery, PubSub bus,
              UserSendLimits sendLimits, OutboxBudgets budgets, ChatSettings.Limits limits, ChatMetrics metrics,
              ConversationReading reading) {
        this.store = store;
        this.users = users;
        this.groups = groups;
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
        // who it goes to is checked first: a refused send spends none of the user's allowance
        String recipient = null;
        if (send.to() != null) {
            recipient = users.registeredName(send.to()).orElseThrow(
                    () -> new ProtocolException(ErrorCode.UNKNOWN_USER, "There is no user '" + send.to() + "'."));
        }
        // a group message goes to the members at the time it is sent: its participants
        List<String> members = send.group() == null ? null
                : groups.requireMember(send.group(), connection.userKey()).memberKeys();
        requireSendAllowance(connection, "this message was not stored. Send it again with the same clientId");
        long now = System.currentTimeMillis();
        String clientId = send.clientId();
        String room = recipient == null && members == null ? Rooms.ALL : null;
        ChatMessage message = new ChatMessage(ids.next(now), now, connection.username(), recipient, room, send.text(),
                                              clientId, null, send.group(), null, members);
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
        if (history.group() != null) {
            groupHistory(connection, history);
            return;
        }
        String conversation = history.with() != null
                ? ChatMessage.privateConversation(connection.userKey(), Users.key(history.with()))
                : ChatMessage.roomConversation(history.room());
        List<ChatMessage> page = store.history(conversation, history.before(), history.limit() + 1);
        sendPage(connection, history.requestId(), page, history.limit(),
                 history.with() == null ? Map.of() : reading.peerMarkers(connection.userKey(), history.with()));
    }

    /**
     * A page of a group as the user saw it: the messages whose participants held them (docs/protocol.md, "History
     * of a group"). A user who never was a member has none, and gets {@code not_a_member}.
     */
    private void groupHistory(Connection connection, Command.History history) {
        String userKey = connection.userKey();
        GroupStore.Group group = groups.find(history.group()).orElseThrow(() -> new ProtocolException(
                ErrorCode.UNKNOWN_GROUP, "There is no group '" + history.group() + "'."));
        if (!group.isMember(userKey) && store.history(group.conversation(), userKey, null, 1).isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_A_MEMBER, "You are not a member of this group.");
        }
        List<ChatMessage> page = store.history(group.conversation(), userKey, history.before(), history.limit() + 1);
        if (group.isMember(userKey)) {
            sendPage(connection, history.requestId(), page, history.limit(), reading.groupMarkers(userKey, group));
            return;
        }
        // a former member sees no markers (they would tell when the group was read after the removal), and no
        // text of an edit made after the last message they received: the message shows as edited, without text
        String last = store.history(group.conversation(), userKey, null, 1).getFirst().id();
        List<ChatMessage> asSeen = page.stream().map(
                m -> m.rev() == null || m.deleted() || m.rev().compareTo(last) <= 0 ? m
                        : new ChatMessage(m.id(), m.ts(), m.from(), m.to(), m.room(), "", m.clientId(),
                                          m.deliveredAt(), m.group(), m.event(), m.members(), m.edited(), false,
                                          m.rev())).toList();
        sendPage(connection, history.requestId(), asSeen, history.limit(), Map.of());
    }

    /**
     * Stores a group's membership change as a message of the group from whoever made it, and delivers it to the
     * change's participants (the members after it, and those it removed), the maker's devices included. Without an
     * event (nothing changed) it does nothing.
     *
     * @param change the change
     */
    void postGroupEvent(GroupStore.Change change) {
        GroupStore.Event event = change.event();
        if (event == null) {
            return;
        }
        long now = System.currentTimeMillis();
        String id = ids.next(now);
        // events have no client id of their own: one made from the id keeps the idempotency index unique
        ChatMessage message = new ChatMessage(id, now, event.by(), null, null, "", "event-" + id, null,
                                              change.group().id(), event, List.copyOf(change.participants()));
        store.store(message).whenComplete((stored, failure) -> {
            if (failure != null) {
                metrics.error("mongodb");
                LOGGER.warning(() -> "the " + event.event() + " event of group " + change.group().id()
                                     + " was not stored: " + failure);
                return;
            }
            delivery.route(stored.message(), null);
        });
    }

    /**
     * Charges a send, or a group change (which stores its event like a message), to the user's send limit, and
     * refuses it while the store or pub/sub are past their bounds, before anything is stored or changed.
     *
     * @param connection who sends
     * @param refused    what the {@code overloaded} error says was not done and how to retry
     * @throws ProtocolException {@code rate_limited}
     * @throws OverloadedException {@code overloaded}
     */
    void requireSendAllowance(Connection connection, String refused) {
        if (!sendLimits.tryAcquire(connection.userKey())) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "More than " + limits.messagesPerSecond()
                    + " messages a second from this user; this one was dropped.");
        }
        long retryAfter = overloadedFor();
        if (retryAfter > 0) {
            throw new OverloadedException("The server is overloaded; " + refused + " after retryAfterMs.",
                                          retryAfter);
        }
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
        List<String> groupIds = newest.stream().filter(ChatMessage::isGroup).map(ChatMessage::group).toList();
        Map<String, String> names = groupIds.isEmpty() ? Map.of() : groups.names(groupIds);
        connection.send(ServerFrames.conversations(conversations.requestId(), connection.userKey(), newest, names,
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
     * Whether a send may join the send path now: the store within its bound (see {@link QueueBound} and
     * {@link MessageRepository#overloadedFor}), and pub/sub neither holding too many publications nor its oldest
     * one waiting longer than the send queue's age bound. Every queue a message passes through before it is
     * delivered is held to that age, so an accepted message is not late because of a queue behind it.
     *
     * @return 0 when it may; otherwise the milliseconds after which to retry
     */
    private long overloadedFor() {
        long retryAfter = store.overloadedFor();
        if (retryAfter == 0 && (bus.backlog() > limits.publishBacklog()
                                || bus.oldestWaitMillis() > limits.sendQueueMaxAge().toMillis())) {
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
