package io.microchat.chat;

/**
 * JSON text written straight into a {@link StringBuilder}, for the frames sent for every message ({@code sent},
 * {@code message}, {@code delivered}) and for every refused one ({@code error}, {@code overloaded} included): the
 * same text the JSON library writes for the same fields in the same order ({@code ServerFramesTest} compares them),
 * without its builder, map and generator per frame, which the profile at 10,000 messages a second put at a
 * twentieth of a chat instance's CPU. Every other frame goes through the library.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean first = true;

    private JsonText(int capacity) {
        out = new StringBuilder(capacity).append('{');
    }

    /**
     * An object to fill.
     *
     * @param capacity the expected length
     * @return the object, empty
     */
    static JsonText object(int capacity) {
        return new JsonText(capacity);
    }

    /**
     * A string member.
     *
     * @param name  the name (a protocol word: no character needs escaping)
     * @param value the value
     * @return this
     */
    JsonText add(String name, String value) {
        name(name);
        string(out, value);
        return this;
    }

    /**
     * A number member.
     *
     * @param name  the name
     * @param value the value
     * @return this
     */
    JsonText add(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /**
     * A boolean member.
     *
     * @param name  the name
     * @param value the value
     * @return this
     */
    JsonText add(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    /**
     * The object's text.
     *
     * @return the JSON text
     */
    String build() {
        return out.append('}').toString();
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(name).append("\":");
    }

    /**
     * Appends a JSON string: quotes, and the escapes the JSON library writes ({@code \"}, {@code \\}, the short
     * forms of backspace, form feed, newline, carriage return and tab, {@code \}{@code u00xx} for the other control
     * characters); every other character as it is.
     *
     * @param out   where to
     * @param value the string
     */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int start = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, start, i);
            start = i + 1;
            switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        out.append(value, start, length).append('"');
    }
}
