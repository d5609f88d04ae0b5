package io.microchat.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The frames written straight ({@link JsonText}) are the text the JSON library writes for the same fields: every
 * character, escapes and all, and every shape of a message.
 */
class ServerFramesTest {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Test
    void everyCharacterIsWrittenAsTheLibraryWritesIt() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            String one = String.valueOf((char) c);
            assertThat("U+" + Integer.toHexString(c), written(one), is(library(one)));
            all.append((char) c);
        }
        assertThat(written(all.toString()), is(library(all.toString())));
    }

    @Test
    void mixedStringsAreWrittenAsTheLibraryWritesThem() {
        Random random = new Random(19);
        String alphabet = "ab\"\\\n\t\r\b\f\u0000\u001f\u007f/é€😀\ud800 ";
        for (int n = 0; n < 2_000; n++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(s.toString(), written(s.toString()), is(library(s.toString())));
        }
    }

    @Test
    void sentAndDeliveredAreTheLibrarysText() {
        assertThat(ServerFrames.sent("c-\"1\"\n", "0000019a-1", 1_700_000_000_123L),
                   is(JSON.createObjectBuilder().add(Field.TYPE, FrameType.SENT).add(Field.CLIENT_ID, "c-\"1\"\n")
                              .add(Field.ID, "0000019a-1").add(Field.TS, 1_700_000_000_123L).build().toString()));
        assertThat(ServerFrames.delivered("0000019a-1", "bob", 42L),
                   is(JSON.createObjectBuilder().add(Field.TYPE, FrameType.DELIVERED).add(Field.ID, "0000019a-1")
                              .add(Field.BY, "bob").add(Field.TS, 42L).build().toString()));
    }

    @Test
    void errorsAndOverloadedAreTheLibrarysText() {
        String message = "The send queue is full; \"this\" message\nwas not stored.";
        for (String clientId : Arrays.asList(null, "c-\"1\"")) {
            for (String requestId : Arrays.asList(null, "r\\2")) {
                assertThat(ServerFrames.error(ErrorCode.RATE_LIMITED, message, clientId, requestId),
                           is(libraryError(ErrorCode.RATE_LIMITED, message, clientId, requestId).build().toString()));
                assertThat(ServerFrames.overloaded(message, clientId, requestId, 250),
                           is(libraryError(ErrorCode.OVERLOADED, message, clientId, requestId)
                                      .add(Field.RETRY_AFTER_MS, 250L).build().toString()));
            }
        }
    }

    @Test
    void everyShapeOfMessageIsTheLibrarysText() {
        String text = "hi \"there\"\\ \u0001\n😀";
        List<ChatMessage> messages = List.of(
                new ChatMessage("m1", 1L, "alice", "bob", null, text, "c1", null),
                new ChatMessage("m2", 2L, "alice", "bob", null, text, "c2", 5L),
                new ChatMessage("m3", 3L, "alice", null, "all", text, "c3", null),
                new ChatMessage("m4", 4L, "alice", null, null, text, "c4", null, "g1", null,
                                List.of("alice", "bob"), null, false, null),
                new ChatMessage("m5", 5L, "alice", "bob", null, "", "c5", 7L, null, null, null, 9L, true, "r1"),
                new ChatMessage("m6", 6L, "alice", null, "all", text, "c6", null, null, null, null, 11L, false,
                                "r2"));
        for (ChatMessage message : messages) {
            assertThat(message.id(), ServerFrames.message(message),
                       is(ServerFrames.messageJson(message).add(Field.TYPE, FrameType.MESSAGE).build().toString()));
        }
    }

    private static JsonObjectBuilder libraryError(String code, String message, String clientId, String requestId) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add(Field.TYPE, FrameType.ERROR).add(Field.CODE, code)
                .add(Field.MESSAGE, message);
        if (clientId != null) {
            json.add(Field.CLIENT_ID, clientId);
        }
        if (requestId != null) {
            json.add(Field.REQUEST_ID, requestId);
        }
        return json;
    }

    private static String written(String value) {
        StringBuilder out = new StringBuilder();
        JsonText.string(out, value);
        return out.toString();
    }

    private static String library(String value) {
        String object = JSON.createObjectBuilder().add("k", value).build().toString();
        return object.substring("{\"k\":".length(), object.length() - 1);
    }
}
