package io.microchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextFragmentsTest {

    private static void assertFragmentsOf(String text, int maxBytes) {
        List<String> fragments = TextFragments.split(text, maxBytes);
        assertThat(String.join("", fragments), is(text));
        for (String fragment : fragments) {
            assertThat(fragment.isEmpty(), is(false));
            assertThat(fragment.getBytes(StandardCharsets.UTF_8).length, lessThanOrEqualTo(maxBytes));
            // a cut pair would decode to a replacement character
            assertThat(new String(fragment.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), is(fragment));
        }
    }

    @Test
    void aTextThatFitsIsOneFragment() {
        assertThat(TextFragments.split("{\"type\":\"pong\"}", 1016), contains("{\"type\":\"pong\"}"));
        String ascii = "x".repeat(1016);
        assertThat(TextFragments.split(ascii, 1016), contains(ascii));
        assertThat(TextFragments.split("", 1016), contains(""));
    }

    @Test
    void asciiIsCutAtTheByteLimit() {
        List<String> fragments = TextFragments.split("x".repeat(2500), 1000);
        assertThat(fragments.stream().map(String::length).toList(), contains(1000, 1000, 500));
    }

    @Test
    void multiByteCharactersCountTheirUtf8Size() {
        assertFragmentsOf("ж".repeat(700), 1016);
        assertFragmentsOf("語".repeat(700), 1016);
        assertThat(TextFragments.split("ж".repeat(600), 1000).size(), is(2));
    }

    @Test
    void surrogatePairsAreNeverCut() {
        for (int limit = 4; limit < 12; limit++) {
            assertFragmentsOf("a😀bж😀😀語x".repeat(50), limit);
        }
        assertFragmentsOf("😀".repeat(400), 1016);
    }

    @Test
    void aLimitBelowOneCharacterIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextFragments.split("x", 3));
    }
}
