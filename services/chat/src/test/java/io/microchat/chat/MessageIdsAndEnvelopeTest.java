package io.microchat.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/** The pure parts of the chat service: message ids and the Redis envelope. */
class MessageIdsAndEnvelopeTest {

    @Test
    void idsSortByTimeAndCarryIt() {
        MessageIds ids = new MessageIds(0x1234);
        String earlier = ids.next(1_763_719_200_000L);
        String later = ids.next(1_763_719_200_001L);
        String sameMillis = ids.next(1_763_719_200_001L);
        assertThat(earlier.compareTo(later), lessThan(0));
        assertThat("a counter orders ids of one millisecond", later.compareTo(sameMillis), lessThan(0));
        assertThat(MessageIds.isValid(earlier), is(true));
        assertThat(earlier.length(), is(22));
        assertThat(MessageIds.timeOf(later), is(1_763_719_200_001L));
        assertThat(MessageIds.floorAt(1_763_719_200_001L).compareTo(earlier), greaterThan(0));
        assertThat(MessageIds.floorAt(1_763_719_200_001L).compareTo(later), lessThan(0));
    }

    @Test
    void anythingElseIsNotAnId() {
        for (String bad : new String[] {null, "", "abc", "01A1FD8673EAC8ED000001", "01a1fd8673eac8ed00000g",
                                        "01a1fd8673eac8ed0000011", "{\"$gt\":\"\"}"}) {
            assertThat(String.valueOf(bad), MessageIds.isValid(bad), is(false));
        }
    }

    @Test
    void envelopesRoundTripWithFramesThatContainSeparators() {
        ChatMessage message = new ChatMessage("01a1fd8673eac8ed000001", 42L, "alice", "bob", null,
                                              "a | b | c", "c1", null);
        String frame = ServerFrames.message(message);
        Envelope parsed = Envelope.parse(Envelope.message("chat-1", message, frame));
        assertThat(parsed.origin(), is("chat-1"));
        assertThat(parsed.frame(), is(frame));
        assertThat(parsed.message().id(), is(message.id()));
        assertThat(parsed.message().toKey(), is("bob"));
        assertThat(parsed.message().ts(), is(42L));

        Envelope receipt = Envelope.parse(Envelope.frame("chat-2", "{\"type\":\"delivered\",\"x\":\"|\"}"));
        assertThat(receipt.message(), is(nullValue()));
        assertThat(receipt.frame(), is("{\"type\":\"delivered\",\"x\":\"|\"}"));
        assertThat(Envelope.parse("garbage"), is(nullValue()));
    }

    @Test
    void anInstanceRecognisesItsOwnPublicationsAndNoOneElses() {
        ChatMessage message = new ChatMessage(MessageIds.floorAt(42), 42, "alice", "bob", null, null, null, null);
        String published = Envelope.message("chat-1", message, "{}");
        assertThat(Envelope.isFrom(published, "chat-1"), is(true));
        assertThat(Envelope.isFrom(Envelope.frame("chat-1", "{\"a\":\"|\"}"), "chat-1"), is(true));
        assertThat("a longer id that starts the same", Envelope.isFrom(published, "chat-"), is(false));
        assertThat("an id that this one starts", Envelope.isFrom(Envelope.frame("chat-10", "{}"), "chat-1"),
                   is(false));
        assertThat(Envelope.isFrom(published, "chat-2"), is(false));
        assertThat(Envelope.isFrom("M|chat-1", "chat-1"), is(false));
        assertThat(Envelope.isFrom("garbage", "chat-1"), is(false));
    }

    @Test
    void conversationsAreTheSameFromBothSides() {
        assertThat(ChatMessage.privateConversation("alice", "bob"), is(ChatMessage.privateConversation("bob", "alice")));
        assertThat(ChatMessage.roomConversation("all"), is("room:all"));
        ChatMessage toSelf = new ChatMessage("01a1fd8673eac8ed000001", 1L, "Alice", "alice", null, "note", "c", null);
        assertThat(toSelf.participants().size(), is(1));
    }
}
