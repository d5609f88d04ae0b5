package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a message, a receipt, an edit or delete, or a presence change reaches the connections it is for: straight to those on this
 * instance, and through pub/sub ({@link Channels}) to the other instances, whose {@code Delivery} hands what it
 * hears to their connections. An instance ignores its own publications (it delivered locally already).
 */
final class Delivery {

    private final String instanceId;
    private final LocalConnections connections;
    private final PubSub bus;

    /**
     * Delivery; it listens on the room's channel and the users' channels from now on.
     *
     * @param instanceId  this instance (the origin of its envelopes)
     * @param connections the connections here
     * @param bus         pub/sub between instances
     */
    Delivery(String instanceId, LocalConnections connections, PubSub bus) {
        this.instanceId = instanceId;
        this.connections = connections;
        this.bus = bus;
        bus.handle(Channels.ROOM_ALL, this::fromRoomChannel);
        bus.handlePrefix(Channels.USER_PREFIX, this::fromUserChannel);
    }

    /**
     * Delivers a stored message to everyone it is for, here and elsewhere: a private one to the recipient and the
     * sender's other devices, a group message to its participants (fan-out on write: one publication a member, on
     * the member's own channel, sent together), a room message to every authenticated connection.
     *
     * @param message the message
     * @param origin  the connection that sent it (it has the {@code sent} answer instead), or null
     */
    void route(ChatMessage message, Connection origin) {
        String frame = ServerFrames.message(message);
        String envelope = Envelope.message(instanceId, message, frame);
        if (message.isGroup()) {
            List<String> channels = new ArrayList<>(message.members().size());
            for (String key : message.members()) {
                toUser(key, message, frame, origin);
                channels.add(Channels.user(key));
            }
            bus.publishAll(channels, envelope);
        } else if (message.isPrivate()) {
            toUser(message.toKey(), message, frame, origin);
            if (message.fromKey().equals(message.toKey())) {
                bus.publish(Channels.user(message.toKey()), envelope);
            } else {
                toUser(message.fromKey(), message, frame, origin);
                // one publication for both channels: one hand-over to the publisher, the payload encoded once
                bus.publishAll(List.of(Channels.user(message.toKey()), Channels.user(message.fromKey())), envelope);
            }
        } else {
            for (Connection connection : connections.all()) {
                if (connection != origin && connection.isAuthenticated()) {
                    connection.deliver(message, frame, ChatMetrics.Path.LOCAL);
                }
            }
            bus.publish(Channels.ROOM_ALL, envelope);
        }
    }

    /**
     * Tells the sender's connections, here and elsewhere, that a message was delivered.
     *
     * @param id        the message
     * @param by        who received it
     * @param senderKey the sender's user key
     * @param at        when
     */
    void receipt(String id, String by, String senderKey, long at) {
        String receipt = ServerFrames.delivered(id, by, at);
        for (Connection target : connections.ofUser(senderKey)) {
            target.sendLive(receipt);
        }
        bus.publish(Channels.user(senderKey), Envelope.frame(instanceId, receipt));
    }

    /**
     * A frame for every connection of a user, here and elsewhere (a read marker, a read receipt, typing, the
     * settings): not a message, so it is not replayed when lost.
     *
     * @param userKey the user
     * @param frame   the frame
     */
    void toUser(String userKey, String frame) {
        for (Connection target : connections.ofUser(userKey)) {
            target.sendLive(frame);
        }
        bus.publish(Channels.user(userKey), Envelope.frame(instanceId, frame));
    }

    /**
     * Tells every authenticated connection here who came online and who went offline.
     *
     * @param online   names now online
     * @param offline  names now offline
     * @param lastSeen when users of {@code offline} who show it were last online
     */
    void presenceChanged(List<String> online, List<String> offline, Map<String, Long> lastSeen) {
        String frame = ServerFrames.presence(online, offline, lastSeen);
        for (Connection connection : connections.all()) {
            if (connection.isAuthenticated()) {
                connection.sendLive(frame);
            }
        }
    }

    /**
     * Sends an edit or a delete to every connection of every participant of the message, here and elsewhere,
     * except the one that made it (it has the answer with its {@code clientId}): the room's message to everyone,
     * another message to each user of its {@code participants} (a private message's two users, a group's
     * members when it was sent), each on their own channel.
     *
     * @param change the message after the change
     * @param origin the connection that made it, or null
     */
    void change(MessageChanges.Change change, Connection origin) {
        if (change.participants().contains(ChatMessage.EVERYONE)) {
            String frame = ServerFrames.change(change, ChatMessage.EVERYONE, null);
            for (Connection connection : connections.all()) {
                if (connection != origin && connection.isAuthenticated()) {
                    connection.sendLive(frame);
                }
            }
            bus.publish(Channels.ROOM_ALL, Envelope.frame(instanceId, frame));
            return;
        }
        String shared = change.group() != null ? ServerFrames.change(change, ChatMessage.EVERYONE, null) : null;
        for (String key : change.participants()) {
            String frame = shared != null ? shared : ServerFrames.change(change, key, null);
            for (Connection connection : connections.ofUser(key)) {
                if (connection != origin) {
                    connection.sendLive(frame);
                }
            }
            bus.publish(Channels.user(key), Envelope.frame(instanceId, frame));
        }
    }

    private void toUser(String key, ChatMessage message, String frame, Connection skip) {
        for (Connection connection : connections.ofUser(key)) {
            if (connection != skip) {
                connection.deliver(message, frame, ChatMetrics.Path.LOCAL);
            }
        }
    }

    private void fromRoomChannel(String payload) {
        Envelope envelope = fromElsewhere(payload);
        if (envelope == null) {
            return;
        }
        for (Connection connection : connections.all()) {
            if (!connection.isAuthenticated()) {
                continue;
            }
            if (envelope.message() == null) {
                connection.sendLive(envelope.frame()); // an edit or delete of a room message
            } else {
                connection.deliver(envelope.message(), envelope.frame(), ChatMetrics.Path.REDIS);
            }
        }
    }

    private void fromUserChannel(String channel, String payload) {
        Envelope envelope = fromElsewhere(payload);
        if (envelope == null) {
            return;
        }
        for (Connection connection : connections.ofUser(Channels.userKeyOf(channel))) {
            if (envelope.message() == null) {
                connection.sendLive(envelope.frame());
            } else {
                connection.deliver(envelope.message(), envelope.frame(), ChatMetrics.Path.REDIS);
            }
        }
    }

    /** The envelope of a payload another instance published, or null (this one's own, or unreadable). */
    private Envelope fromElsewhere(String payload) {
        return Envelope.isFrom(payload, instanceId) ? null : Envelope.parse(payload);
    }
}
