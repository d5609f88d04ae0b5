package io.microchat.chat;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A client frame is decoded once, with every rule about its fields; the full-stack ProtocolErrorsTest sends them. */
class CommandDecoderTest {

    private static final String ID = "019a8f3c2b1e7c4d000042";
    private final CommandDecoder decoder = new CommandDecoder(10);

    @Test
    void eachFrameTypeBecomesItsCommand() {
        assertThat(decoder.decode("{\"type\":\"auth\",\"token\":\"t\",\"resumeAfter\":\"" + ID + "\"}", false),
                   is(new Command.Auth("t", ID)));
        assertThat(decoder.decode("{\"type\":\"send\",\"clientId\":\"c\",\"to\":\"bob\",\"text\":\"hi\"}", true),
                   is(new Command.Send("c", "hi", "bob", null, null)));
        assertThat(decoder.decode("{\"type\":\"received\",\"ids\":[\"" + ID + "\"]}", true),
                   is(new Command.Received(List.of(ID))));
        assertThat(decoder.decode("{\"type\":\"history\",\"room\":\"all\"}", true),
                   is(new Command.History(null, null, "all", null, 50, null)));
        assertThat(decoder.decode("{\"type\":\"history\",\"missed\":true,\"requestId\":\"m\",\"limit\":5}", true),
                   is(new Command.MissedHistory("m", null, null, 5)));
        assertThat(decoder.decode("{\"type\":\"conversations\",\"requestId\":\"r\"}", true),
                   is(new Command.Conversations("r")));
        assertThat(decoder.decode("{\"type\":\"ping\"}", true), is(new Command.Ping()));
    }

    @Test
    void editAndDelete() {
        assertThat(decoder.decode("{\"type\":\"edit\",\"id\":\"" + ID + "\",\"text\":\"new\"}", true),
                   is(new Command.Edit(null, ID, "new")));
        assertThat(refused("{\"type\":\"edit\",\"id\":\"" + ID + "\",\"text\":\"elevenchars\"}", true).code(),
                   is("text_too_long"));
        assertThat(refused("{\"type\":\"edit\",\"id\":\"" + ID + "\",\"text\":\" \"}", true).code(),
                   is("invalid_field"));
        assertThat(refused("{\"type\":\"edit\",\"id\":\"" + ID + "\",\"text\":\"a\",\"clientId\":\"\"}", true)
                           .code(), is("invalid_field"));
        assertThat(refused("{\"type\":\"edit\",\"id\":\"nope\",\"text\":\"a\",\"clientId\":\"e1\"}", true)
                           .clientId(), is("e1"));
        assertThat(decoder.decode("{\"type\":\"delete\",\"id\":\"" + ID + "\",\"clientId\":\"d-1\"}", true),
                   is(new Command.Delete("d-1", ID)));
        assertThat(refused("{\"type\":\"delete\"}", true).code(), is("missing_field"));
    }

    @Test
    void anErrorNamesTheFrameItAnswers() {
        ProtocolException e = refused("{\"type\":\"send\",\"clientId\":\"c1\",\"to\":\"bob\"}", true);
        assertThat(e.code(), is("missing_field"));
        assertThat(e.clientId(), is("c1"));
        e = refused("{\"type\":\"history\",\"requestId\":\"h1\",\"with\":\"x\",\"room\":\"all\"}", true);
        assertThat(e.code(), is("invalid_field"));
        assertThat(e.requestId(), is("h1"));
        assertThat(refused("{\"type\":\"send\",\"clientId\":\"" + "x".repeat(129) + "\"}", true).clientId(),
                   is(nullValue()));
    }

    @Test
    void theRulesOfTheFields() {
        assertThat(refused("[1]", true).code(), is("malformed_json"));
        assertThat(refused("{\"type\":\"send\"}", false).code(), is("not_authenticated"));
        assertThat(refused("{\"type\":\"auth\",\"token\":\"t\"}", true).code(), is("already_authenticated"));
        assertThat(refused("{\"type\":\"teleport\"}", true).code(), is("unknown_type"));
        assertThat(refused("{\"type\":\"send\",\"clientId\":\"c\",\"to\":\"b\",\"text\":\"" + "x".repeat(11) + "\"}",
                           true).code(), is("text_too_long"));
        assertThat("10 characters, 20 UTF-16 units", decoder.decode(
                "{\"type\":\"send\",\"clientId\":\"c\",\"to\":\"b\",\"text\":\"" + "😀".repeat(10) + "\"}", true),
                   is(new Command.Send("c", "😀".repeat(10), "b", null, null)));
        assertThat(refused("{\"type\":\"send\",\"clientId\":\"c\",\"room\":\"x\",\"text\":\"t\"}", true).code(),
                   is("unknown_room"));
        assertThat(refused("{\"type\":\"received\",\"ids\":[\"nope\"]}", true).code(), is("invalid_field"));
        assertThat(refused("{\"type\":\"history\",\"room\":\"all\",\"limit\":101}", true).code(), is("invalid_field"));
        assertThat(refused("{\"type\":\"history\",\"missed\":true,\"with\":\"b\"}", true).code(), is("invalid_field"));
    }

    private ProtocolException refused(String frame, boolean authenticated) {
        return assertThrows(ProtocolException.class, () -> decoder.decode(frame, authenticated));
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    private static final String GROUP = "g-0123456789abcdef01234567";

    private ProtocolException refused(CommandDecoder with, String frame) {
        return assertThrows(ProtocolException.class, () -> with.decode(frame.replace('\'', '"'), true));
    }

    private Command decoded(String frame) {
        return decoder.decode(frame.replace('\'', '"'), true);
    }

    @Test
    void groupNamesAreTrimmedAndBounded() {
        assertThat(CommandDecoder.groupName("  Trip  "), is("Trip"));
        assertThat(CommandDecoder.groupName("x".repeat(100)), is("x".repeat(100)));
        assertThat(CommandDecoder.groupName("😀".repeat(100)), is("😀".repeat(100)));
        for (String bad : List.of("", "   ", "x".repeat(101), "a\u0000b", "tab\there")) {
            assertThat(assertThrows(ProtocolException.class, () -> CommandDecoder.groupName(bad)).code(),
                       is("invalid_group_name"));
        }
    }

    @Test
    void groupFramesNameUsersWithinTheMaximum() {
        assertThat(decoded("{'type':'group_create','requestId':'g','name':' Trip ','members':['bob','BOB','carol']}"),
                   is(new Command.GroupCreate("g", "Trip", List.of("bob", "carol"))));
        assertThat(decoded("{'type':'group_create','name':'Solo'}"), is(new Command.GroupCreate(null, "Solo", List.of())));
        assertThat(decoded("{'type':'group_create','name':'Solo','members':null}"),
                   is(new Command.GroupCreate(null, "Solo", List.of())));
        assertThat(refused(decoder, "{'type':'group_create','members':[]}").code(), is("missing_field"));
        assertThat(refused(decoder, "{'type':'group_create','name':'  '}").code(), is("invalid_group_name"));
        assertThat(refused(new CommandDecoder(10, 2), "{'type':'group_create','name':'x','members':['a','b','c']}")
                           .code(), is("group_too_large"));
        assertThat(refused(decoder, "{'type':'group_create','name':'x','members':[1]}").code(), is("invalid_field"));

        assertThat(decoded("{'type':'group_add','group':'" + GROUP + "','users':['dave']}"),
                   is(new Command.GroupChange(null, "group_add", GROUP, List.of("dave"))));
        ProtocolException empty = refused(decoder, "{'type':'group_remove','requestId':'r','group':'" + GROUP
                                                   + "','users':[]}");
        assertThat(empty.code(), is("missing_field"));
        assertThat(empty.requestId(), is("r"));
        assertThat(refused(decoder, "{'type':'group_admin','users':['dave']}").code(), is("missing_field"));
        assertThat(refused(decoder, "{'type':'group_add','group':'g-nope','users':['dave']}").code(),
                   is("unknown_group"));
        assertThat(decoded("{'type':'group_leave','group':'" + GROUP + "'}"), is(new Command.GroupLeave(null, GROUP)));
        assertThat(decoded("{'type':'group_info','requestId':'i','group':'" + GROUP + "'}"),
                   is(new Command.GroupInfo("i", GROUP)));
        assertThat(decoded("{'type':'groups'}"), is(new Command.GroupList(null)));
    }

    @Test
    void aGroupIsOneOfTheTargetsOfSendAndHistory() {
        assertThat(decoded("{'type':'send','clientId':'c','group':'" + GROUP + "','text':'hi'}"),
                   is(new Command.Send("c", "hi", null, null, GROUP)));
        assertThat(decoded("{'type':'history','group':'" + GROUP + "','limit':5}"),
                   is(new Command.History(null, null, null, null, 5, GROUP)));
        assertThat(refused(decoder, "{'type':'send','clientId':'c','group':'" + GROUP + "','to':'b','text':'t'}")
                           .code(), is("invalid_field"));
        assertThat(refused(decoder, "{'type':'send','clientId':'c','group':'x','text':'t'}").code(),
                   is("unknown_group"));
        assertThat(refused(decoder, "{'type':'history','missed':true,'group':'" + GROUP + "'}").code(),
                   is("invalid_field"));
    }

    @Test
    void readTypingAndSettings() {
        String group = "g-0123456789abcdef01234567";
        assertThat(decoder.decode("{\"type\":\"read\",\"with\":\"Bob\",\"upTo\":\"" + ID + "\"}", true),
                   is(new Command.Read(new ConversationRef.Direct("Bob"), ID)));
        assertThat(decoder.decode("{\"type\":\"read\",\"group\":\"" + group + "\",\"upTo\":\"" + ID + "\"}", true),
                   is(new Command.Read(new ConversationRef.InGroup(group), ID)));
        assertThat(decoder.decode("{\"type\":\"read\",\"room\":\"all\",\"upTo\":\"" + ID + "\"}", true),
                   is(new Command.Read(new ConversationRef.InRoom("all"), ID)));
        assertThat(new ConversationRef.Direct("Bob").key("alice"), is("dm:alice|bob"));
        assertThat(refused("{\"type\":\"read\",\"with\":\"bob\",\"upTo\":\"nope\"}", true).code(),
                   is("invalid_field"));
        assertThat(refused("{\"type\":\"read\",\"with\":\"bob\"}", true).code(), is("missing_field"));
        assertThat(refused("{\"type\":\"read\",\"upTo\":\"" + ID + "\"}", true).code(), is("missing_field"));
        assertThat(refused("{\"type\":\"read\",\"with\":\"bob\",\"room\":\"all\",\"upTo\":\"" + ID + "\"}",
                           true).code(), is("invalid_field"));
        assertThat(refused("{\"type\":\"read\",\"room\":\"lobby\",\"upTo\":\"" + ID + "\"}", true).code(),
                   is("unknown_room"));
        assertThat(refused("{\"type\":\"read\",\"group\":\"g-nope\",\"upTo\":\"" + ID + "\"}", true).code(),
                   is("unknown_group"));
        assertThat(refused("{\"type\":\"read\",\"with\":5,\"upTo\":\"" + ID + "\"}", true).code(),
                   is("invalid_field"));

        assertThat(decoder.decode("{\"type\":\"typing\",\"with\":\"bob\"}", true),
                   is(new Command.Typing(new ConversationRef.Direct("bob"))));
        assertThat(refused("{\"type\":\"typing\",\"room\":\"all\"}", true).code(), is("invalid_field"));
        assertThat(refused("{\"type\":\"typing\"}", true).code(), is("missing_field"));

        assertThat(decoder.decode("{\"type\":\"settings\",\"readReceipts\":false}", true),
                   is(new Command.ChangeSettings(false, null)));
        assertThat(decoder.decode("{\"type\":\"settings\",\"readReceipts\":true,\"showLastSeen\":false}", true),
                   is(new Command.ChangeSettings(true, false)));
        assertThat(refused("{\"type\":\"settings\"}", true).code(), is("missing_field"));
        assertThat(refused("{\"type\":\"settings\",\"showLastSeen\":\"no\"}", true).code(), is("invalid_field"));
    }
}
