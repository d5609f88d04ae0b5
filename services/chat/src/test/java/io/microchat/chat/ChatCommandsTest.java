package io.microchat.chat;

import java.io.StringReader;
import java.util.List;

import io.microchat.protocol.ErrorCode;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fields of the new client frames: each bad one answered with its documented code. */
class ChatCommandsTest {

    private static final String GROUP = "g-0123456789abcdef01234567";
    private static final String ID = "019a8f3c2b1e7c4d000042";

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text.replace('\'', '"')))) {
            return reader.readObject();
        }
    }

    private static String code(Runnable action) {
        return assertThrows(ProtocolException.class, action::run).code();
    }

    @Test
    void aConversationIsExactlyOneOfWithGroupOrRoom() {
        assertThat(ChatCommands.conversation(json("{'with':'Bob'}"), true).key("alice"), is("dm:alice|bob"));
        assertThat(ChatCommands.conversation(json("{'group':'" + GROUP + "'}"), true).key("alice"),
                   is("group:" + GROUP));
        assertThat(ChatCommands.conversation(json("{'room':'all'}"), true).key("alice"), is("room:all"));
        assertThat(code(() -> ChatCommands.conversation(json("{}"), true)), is(ErrorCode.MISSING_FIELD));
        assertThat(code(() -> ChatCommands.conversation(json("{'with':'bob','room':'all'}"), true)),
                   is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> ChatCommands.conversation(json("{'room':'lobby'}"), true)), is(ErrorCode.UNKNOWN_ROOM));
        assertThat(code(() -> ChatCommands.typing(json("{'room':'all'}"))), is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> ChatCommands.conversation(json("{'group':'g-nope'}"), true)),
                   is(ErrorCode.UNKNOWN_GROUP));
        assertThat(code(() -> ChatCommands.conversation(json("{'with':5}"), true)), is(ErrorCode.INVALID_FIELD));
    }

    @Test
    void readAndSettings() {
        ChatCommands.Read read = ChatCommands.read(json("{'group':'" + GROUP + "','upTo':'" + ID + "'}"));
        assertThat(read.upTo(), is(ID));
        assertThat(code(() -> ChatCommands.read(json("{'with':'bob','upTo':'nope'}"))), is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> ChatCommands.read(json("{'with':'bob'}"))), is(ErrorCode.MISSING_FIELD));

        ChatCommands.SettingsChange settings = ChatCommands.settings(json("{'readReceipts':false}"));
        assertThat(settings.readReceipts(), is(false));
        assertThat(settings.showLastSeen(), is(nullValue()));
        assertThat(code(() -> ChatCommands.settings(json("{}"))), is(ErrorCode.MISSING_FIELD));
        assertThat(code(() -> ChatCommands.settings(json("{'showLastSeen':'no'}"))), is(ErrorCode.INVALID_FIELD));
    }
}
