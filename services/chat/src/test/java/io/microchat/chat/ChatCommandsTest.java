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
    void groupNamesAreTrimmedAndBounded() {
        assertThat(ChatCommands.groupName("  Trip  "), is("Trip"));
        assertThat(ChatCommands.groupName("x".repeat(100)), is("x".repeat(100)));
        assertThat(ChatCommands.groupName("😀".repeat(100)), is("😀".repeat(100)));
        for (String bad : List.of("", "   ", "x".repeat(101), "a\u0000b", "tab\there")) {
            assertThat(code(() -> ChatCommands.groupName(bad)), is(ErrorCode.INVALID_GROUP_NAME));
        }
    }

    @Test
    void groupFramesNameUsersWithinTheMaximum() {
        ChatCommands.GroupCreate create = ChatCommands.groupCreate(
                json("{'name':' Trip ','members':['bob','BOB','carol']}"), 256);
        assertThat(create.name(), is("Trip"));
        assertThat(create.members(), contains("bob", "carol"));
        assertThat(ChatCommands.groupCreate(json("{'name':'Solo'}"), 256).members().isEmpty(), is(true));
        assertThat(code(() -> ChatCommands.groupCreate(json("{'members':[]}"), 256)), is(ErrorCode.MISSING_FIELD));
        assertThat(code(() -> ChatCommands.groupCreate(json("{'name':'x','members':['a','b','c']}"), 2)),
                   is(ErrorCode.GROUP_TOO_LARGE));
        assertThat(code(() -> ChatCommands.groupCreate(json("{'name':'x','members':[1]}"), 256)),
                   is(ErrorCode.INVALID_FIELD));

        ChatCommands.GroupUsers add = ChatCommands.groupUsers(json("{'group':'" + GROUP + "','users':['dave']}"), 256);
        assertThat(add, is(new ChatCommands.GroupUsers(GROUP, List.of("dave"))));
        assertThat(code(() -> ChatCommands.groupUsers(json("{'group':'" + GROUP + "','users':[]}"), 256)),
                   is(ErrorCode.MISSING_FIELD));
        assertThat(code(() -> ChatCommands.groupUsers(json("{'users':['dave']}"), 256)), is(ErrorCode.MISSING_FIELD));
        assertThat(ChatCommands.group(json("{'group':'" + GROUP + "'}")), is(GROUP));
    }

    @Test
    void editAndDelete() {
        assertThat(ChatCommands.edit(json("{'id':'" + ID + "','text':'new'}"), 10),
                   is(new ChatCommands.Edit(ID, "new", null)));
        assertThat(code(() -> ChatCommands.edit(json("{'id':'" + ID + "','text':'elevenchars'}"), 10)),
                   is(ErrorCode.TEXT_TOO_LONG));
        assertThat(code(() -> ChatCommands.edit(json("{'id':'" + ID + "','text':' '}"), 10)),
                   is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> ChatCommands.edit(json("{'id':'" + ID + "','text':'a','clientId':''}"), 10)),
                   is(ErrorCode.INVALID_FIELD));
        assertThat(ChatCommands.delete(json("{'id':'" + ID + "','clientId':'d-1'}")),
                   is(new ChatCommands.Delete(ID, "d-1")));
        assertThat(code(() -> ChatCommands.delete(json("{}"))), is(ErrorCode.MISSING_FIELD));

    }
}
