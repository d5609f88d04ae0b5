package io.microchat.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/** The message size limit counts UTF-8 bytes, whether a message comes in one fragment or several. */
class FrameAssemblerTest {

    private final FrameAssembler assembler = new FrameAssembler(16);

    @Test
    void aMessageAtTheLimitInBytesIsWhole() {
        assertThat(assembler.add("é".repeat(8), true), is(new FrameAssembler.Assembled.Whole("é".repeat(8))));
    }

    @Test
    void aMessageUnderTheLimitInCharactersButOverItInBytesIsTooLarge() {
        assertThat(assembler.add("é".repeat(9), true), instanceOf(FrameAssembler.Assembled.TooLarge.class));
    }

    @Test
    void fragmentsAddUpInBytes() {
        assertThat(assembler.add("é".repeat(4), false), instanceOf(FrameAssembler.Assembled.Partial.class));
        assertThat(assembler.add("é".repeat(5), true), instanceOf(FrameAssembler.Assembled.TooLarge.class));
        // and the next message starts afresh
        assertThat(assembler.add("ab", false), instanceOf(FrameAssembler.Assembled.Partial.class));
        assertThat(assembler.add("cd", true), is(new FrameAssembler.Assembled.Whole("abcd")));
    }

    @Test
    void aSurrogatePairCountsFourBytes() {
        assertThat(FrameAssembler.utf8Length("😀"), is(4L));
        assertThat(FrameAssembler.utf8Length("a€é"), is(6L));
    }
}
