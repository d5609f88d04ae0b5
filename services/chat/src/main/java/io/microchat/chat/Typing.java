package io.microchat.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * "alice is typing" (docs/protocol.md, "Typing"): relayed to every device of the other participants of a private
 * or group conversation, on every instance (through their user channels), and never stored. One {@code typing}
 * per user and conversation per {@link #THROTTLE_MILLIS} is relayed; the others are dropped without an answer.
 *
 * <p>The throttle is per instance: a user typing on two devices connected to two instances could have two relayed
 * in one interval, which clients show as one line anyway.
 */
final class Typing {

    /** At most one relayed {@code typing} per user and conversation in this time. */
    static final long THROTTLE_MILLIS = 3_000;
    /** Past this many entries, the expired ones are swept (at most once per throttle interval). */
    private static final int SWEEP_ABOVE = 10_000;

    private final ConversationMembers members;
    private final Delivery delivery;
    private final LongSupplier clock;
    /** "user key conversation key" to when its last {@code typing} was relayed. */
    private final Map<String, Long> lastRelayed = new ConcurrentHashMap<>();
    /** When the map was last swept. */
    private final AtomicLong lastSwept = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * Typing.
     *
     * @param members  who is in a conversation
     * @param delivery how frames reach users' devices
     * @param clock    the time in milliseconds
     */
    Typing(ConversationMembers members, Delivery delivery, LongSupplier clock) {
        this.members = members;
        this.delivery = delivery;
        this.clock = clock;
    }

    /**
     * A user types in a conversation.
     *
     * @param connection the typer's connection
     * @param typing     the command
     * @throws ProtocolException {@code unknown_user}, or a group's errors
     */
    void typing(Connection connection, Command.Typing typing) {
        relay(connection.userKey(), connection.username(), typing.conversation());
    }

    /**
     * Relays a typing event unless one was relayed for the same user and conversation lately.
     *
     * @param userKey  the typer
     * @param username the typer's registered name
     * @param ref      the conversation
     * @return whether it was relayed
     */
    boolean relay(String userKey, String username, ConversationRef ref) {
        long now = clock.getAsLong();
        // throttled before the conversation is resolved: a dropped typing costs no read of the group
        String key = userKey + " " + ref.key(userKey);
        Long last = lastRelayed.get(key);
        if (last != null && now - last < THROTTLE_MILLIS) {
            return false;
        }
        ConversationMembers.Resolved conversation = members.resolve(userKey, ref);
        boolean[] fresh = {false};
        lastRelayed.compute(key, (k, previous) -> {
            if (previous != null && now - previous < THROTTLE_MILLIS) {
                return previous; // another device's, relayed in between
            }
            fresh[0] = true;
            return now;
        });
        if (!fresh[0]) {
            return false;
        }
        sweepNow(now);
        String frame = ServerFrames.typing(username, conversation);
        for (String other : conversation.others()) {
            delivery.toUser(other, frame);
        }
        return true;
    }

    /**
     * Sweeps the expired entries once the map is past {@link #SWEEP_ABOVE}, at most once per
     * {@link #THROTTLE_MILLIS} (amortised: not a scan per relayed frame however many users type).
     */
    private void sweepNow(long now) {
        long last = lastSwept.get();
        if (lastRelayed.size() <= SWEEP_ABOVE || now - last < THROTTLE_MILLIS || !lastSwept.compareAndSet(last, now)) {
            return;
        }
        lastRelayed.values().removeIf(at -> now - at >= THROTTLE_MILLIS);
    }

    /** How many entries the throttle holds (for tests). */
    int throttled() {
        return lastRelayed.size();
    }
}
