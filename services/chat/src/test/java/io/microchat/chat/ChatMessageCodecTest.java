package io.microchat.chat;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatMessageCodecTest {

    private static final ChatMessageCodec CODEC = new ChatMessageCodec();

    private static BsonDocument encode(ChatMessage message) {
        BsonDocument document = new BsonDocument();
        CODEC.encode(new BsonDocumentWriter(document), message, EncoderContext.builder().build());
        return document;
    }

    private static ChatMessage decode(BsonDocument document) {
        return CODEC.decode(new BsonDocumentReader(document), DecoderContext.builder().build());
    }

    @Test
    void aPrivateMessageIsTheDocumentHistoryReplayAndIdempotencyQuery() {
        ChatMessage message = new ChatMessage("019a8f3c2b1e7c4d000041", 1_763_700_000_000L, "Alice", "bob",
                                              null, "hi 😀", "c-1", null);
        BsonDocument expected = new BsonDocument("_id", new BsonString("019a8f3c2b1e7c4d000041"))
                .append("ts", new BsonInt64(1_763_700_000_000L))
                .append("from", new BsonString("Alice")).append("fromLower", new BsonString("alice"))
                .append("to", new BsonString("bob")).append("toLower", new BsonString("bob"))
                .append("room", BsonNull.VALUE).append("conv", new BsonString("dm:alice|bob"))
                .append("participants", new BsonArray(List.of(new BsonString("alice"), new BsonString("bob"))))
                .append("text", new BsonString("hi 😀")).append("clientId", new BsonString("c-1"));
        assertThat(encode(message), is(expected));
        assertThat(decode(encode(message)), is(message));
    }

    @Test
    void aBroadcastHasNoRecipientAndEveryoneAsParticipant() {
        ChatMessage message = new ChatMessage("019a8f3c2b1e7c4d000042", 5L, "carol", null, "all", "hello all",
                                              null, null);
        BsonDocument document = encode(message);
        assertThat(document.get("to"), is(BsonNull.VALUE));
        assertThat(document.get("toLower"), is(BsonNull.VALUE));
        assertThat(document.getString("conv").getValue(), is("room:all"));
        assertThat(document.getArray("participants"), is(new BsonArray(List.of(new BsonString("*")))));
        assertThat(document.get("clientId"), is(BsonNull.VALUE));
        assertThat(decode(document), is(message));
    }

    @Test
    void aGroupMessageHasItsGroupAndTheMembersAtSendTimeAsParticipants() {
        ChatMessage message = new ChatMessage("019a8f3c2b1e7c4d000045", 5L, "Carol", null, null, "hi group", "c-9",
                                              null, "g-0123456789abcdef01234567", null, List.of("carol", "dave"));
        BsonDocument document = encode(message);
        assertThat(document.getString("group").getValue(), is("g-0123456789abcdef01234567"));
        assertThat(document.getString("conv").getValue(), is("group:g-0123456789abcdef01234567"));
        assertThat(document.getArray("participants"),
                   is(new BsonArray(List.of(new BsonString("carol"), new BsonString("dave")))));
        assertThat(document.get("to"), is(BsonNull.VALUE));
        assertThat(document.get("room"), is(BsonNull.VALUE));
        assertThat(document.containsKey("event"), is(false));
        assertThat(decode(document), is(message));
    }

    @Test
    void aMembershipEventIsAGroupMessageWithItsFields() {
        GroupStore.Event created = new GroupStore.Event("created", "Carol", List.of("dave"), List.of(), "Trip");
        ChatMessage message = new ChatMessage("019a8f3c2b1e7c4d000046", 5L, "Carol", null, null, "", "event-1", null,
                                              "g-0123456789abcdef01234567", created, List.of("carol", "dave"));
        BsonDocument document = encode(message);
        assertThat(document.getString("event").getValue(), is("created"));
        assertThat(document.getString("name").getValue(), is("Trip"));
        assertThat(document.getArray("users"), is(new BsonArray(List.of(new BsonString("dave")))));
        assertThat(document.containsKey("admins"), is(false));
        assertThat(decode(document), is(message));

        GroupStore.Event left = new GroupStore.Event("left", "Carol", List.of(), List.of("dave"), null);
        ChatMessage leave = new ChatMessage("019a8f3c2b1e7c4d000047", 6L, "Carol", null, null, "", "event-2", null,
                                            "g-0123456789abcdef01234567", left, List.of("dave", "carol"));
        assertThat(decode(encode(leave)), is(leave));
    }

    @Test
    void aConfirmedMessageKeepsItsDeliveryTime() {
        ChatMessage message = new ChatMessage("019a8f3c2b1e7c4d000043", 7L, "a", "b", null, "x", "c", 9L);
        assertThat(encode(message).getInt64("deliveredAt").getValue(), is(9L));
        assertThat(decode(encode(message)), is(message));
    }

    @Test
    void anEditedOrDeletedMessageKeepsItsMarksAndRevision() {
        ChatMessage edited = new ChatMessage("019a8f3c2b1e7c4d000045", 7L, "a", "b", null, "new", "c", null, 11L,
                                             false, "019a8f3c2b1e7c4d000050");
        assertThat(encode(edited).getInt64("edited").getValue(), is(11L));
        assertThat(encode(edited).containsKey("deleted"), is(false));
        assertThat(decode(encode(edited)), is(edited));
        ChatMessage deleted = new ChatMessage("019a8f3c2b1e7c4d000046", 7L, "a", "b", null, "", "c", null, null,
                                              true, "019a8f3c2b1e7c4d000051");
        assertThat(encode(deleted).getBoolean("deleted").getValue(), is(true));
        assertThat(decode(encode(deleted)), is(deleted));
        ChatMessage unchanged = new ChatMessage("019a8f3c2b1e7c4d000047", 7L, "a", "b", null, "x", "c", null);
        assertThat(encode(unchanged).containsKey("rev"), is(false));
        assertThat(encode(unchanged).containsKey("edited"), is(false));
    }

    @Test
    void readingSkipsUnknownFieldsAndAcceptsAnyNumberForTimes() {
        BsonDocument stored = new BsonDocument("_id", new BsonString("019a8f3c2b1e7c4d000044"))
                .append("ts", new BsonInt32(12))
                .append("from", new BsonString("a")).append("to", new BsonString("b"))
                .append("room", BsonNull.VALUE)
                .append("extra", new BsonDocument("nested", new BsonArray(List.of(new BsonInt32(1)))))
                .append("text", new BsonString("t")).append("clientId", BsonNull.VALUE)
                .append("deliveredAt", new BsonDouble(13.0));
        assertThat(decode(stored), is(new ChatMessage("019a8f3c2b1e7c4d000044", 12L, "a", "b", null, "t", null, 13L)));
        assertThat(decode(stored.append("deliveredAt", BsonNull.VALUE)).deliveredAt(), is((Long) null));
    }

    @Test
    void aTimeThatIsNotANumberIsAnError() {
        BsonDocument stored = new BsonDocument("_id", new BsonString("i")).append("ts", new BsonString("yesterday"));
        assertThrows(BsonInvalidOperationException.class, () -> decode(stored));
    }
}
