package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an outgoing text message into WebSocket fragments of at most a number of UTF-8 bytes.
 *
 * <p>Helidon writes every frame through a per-connection buffer that grows to the largest frame the connection
 * ever sent and never shrinks; one history page would pin its size for the life of the connection. Frames cut to
 * fit the buffer's initial size keep it there. A surrogate pair is never cut, so every fragment is valid UTF-8 and
 * the client's reassembly yields the original text.
 */
final class TextFragments {

    private TextFragments() {
    }

    /**
     * The fragments of a text.
     *
     * @param text the whole message
     * @param maxBytes the largest UTF-8 size of one fragment, at least 4
     * @return the text itself if it fits, else its fragments in order
     */
    static List<String> split(String text, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes must be at least 4, was " + maxBytes);
        }
        int length = text.length();
        if ((long) length * 3 <= maxBytes) {
            return List.of(text);
        }
        List<String> fragments = null;
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
            int size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > maxBytes) {
                if (fragments == null) {
                    fragments = new ArrayList<>();
                }
                fragments.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += pair ? 2 : 1;
        }
        if (fragments == null) {
            return List.of(text);
        }
        fragments.add(text.substring(start));
        return fragments;
    }
}
