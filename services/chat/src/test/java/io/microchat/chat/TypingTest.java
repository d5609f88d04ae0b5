package io.microchat.chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.microchat.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Typing without a server: to whom it goes, and the throttle of one per user and conversation per 3 s. */
class TypingTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryPubSub.Network network = new InMemoryPubSub.Network();
    private final Delivery delivery = new Delivery("i1", new LocalConnections(), new InMemoryPubSub(network));
    private final UserDirectory users = name -> name.startsWith("nobody") ? Optional.empty()
            : Optional.of(name.toLowerCase());
    private final Typing typing = new Typing(new ConversationMembers(users, ConversationMembers.NO_GROUPS), delivery,
                                             now::get);

    @Test
    void oneTypingPerUserAndConversationEveryThreeSecondsGoesToThePeersChannel() {
        assertThat(typing.relay("alice", "alice", new ConversationRef.Direct("Bob")), is(true));
        assertThat(network.published, is(List.of(Channels.user("bob"))));
        now.addAndGet(Typing.THROTTLE_MILLIS - 1);
        assertThat("dropped silently", typing.relay("alice", "alice", new ConversationRef.Direct("bob")), is(false));
        assertThat("another conversation has its own allowance",
                   typing.relay("alice", "alice", new ConversationRef.Direct("carol")), is(true));
        assertThat("another typer too", typing.relay("bob", "bob", new ConversationRef.Direct("alice")), is(true));
        now.addAndGet(1);
        assertThat(typing.relay("alice", "alice", new ConversationRef.Direct("bob")), is(true));
        assertThat(network.published.size(), is(4));
    }

    @Test
    void typingToOneselfGoesNowhereAndUnknownsAreErrors() {
        assertThat(typing.relay("alice", "alice", new ConversationRef.Direct("alice")), is(true));
        assertThat(network.published.isEmpty(), is(true));
        assertThat(assertThrows(ProtocolException.class,
                                () -> typing.relay("alice", "alice", new ConversationRef.Direct("nobody"))).code(),
                   is(ErrorCode.UNKNOWN_USER));
        assertThat(assertThrows(ProtocolException.class, () -> typing.relay(
                "alice", "alice", new ConversationRef.InGroup("g-0123456789abcdef01234567"))).code(),
                   is(ErrorCode.UNKNOWN_GROUP));
    }

    @Test
    void aThrottledTypingDoesNotReadTheGroup() {
        AtomicLong lookups = new AtomicLong();
        Typing inGroups = new Typing(new ConversationMembers(users, (userKey, group) -> {
            lookups.incrementAndGet();
            return List.of("bob");
        }), delivery, now::get);
        ConversationRef group = new ConversationRef.InGroup("g-0123456789abcdef01234567");
        assertThat(inGroups.relay("alice", "alice", group), is(true));
        for (int i = 0; i < 50; i++) {
            assertThat(inGroups.relay("alice", "alice", group), is(false));
        }
        assertThat("one lookup for the relayed one, none for the dropped ones", lookups.get(), is(1L));
    }

    @Test
    void expiredThrottleEntriesAreSweptPastTheBound() {
        for (int i = 0; i <= 10_000; i++) {
            typing.relay("user" + i, "user" + i, new ConversationRef.Direct("bob"));
        }
        now.addAndGet(Typing.THROTTLE_MILLIS);
        typing.relay("alice", "alice", new ConversationRef.Direct("bob"));
        assertThat(typing.throttled(), is(1));
    }
}
