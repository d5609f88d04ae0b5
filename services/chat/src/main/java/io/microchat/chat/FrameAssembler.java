package io.microchat.chat;

/**
 * Assembles the fragments of one client text message, within the message size limit in UTF-8 bytes
 * ({@code app.limits.max-frame-bytes}, docs/protocol.md "Limits"). Used by one connection's reading thread only.
 */
final class FrameAssembler {

    private final int maxBytes;
    /** Fragments received so far; only while a message in several fragments is being received. */
    private StringBuilder fragments;
    private long bytes;
    private boolean tooLarge;

    /**
     * An assembler.
     *
     * @param maxBytes the largest whole message accepted, in UTF-8 bytes
     */
    FrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes one fragment.
     *
     * @param text this fragment
     * @param last whether it is the final one
     * @return the whole message, {@link Assembled.TooLarge} (the message was over the limit; its fragments were
     *         dropped as they came) or {@link Assembled.Partial} while incomplete
     */
    Assembled add(String text, boolean last) {
        if (last && fragments == null && !tooLarge) {
            return fits(text) ? new Assembled.Whole(text) : Assembled.TOO_LARGE;
        }
        if (!tooLarge) {
            bytes += utf8Length(text);
            if (bytes > maxBytes) {
                tooLarge = true;
                fragments = null;
            } else {
                if (fragments == null) {
                    fragments = new StringBuilder(Math.max(256, text.length() * 2));
                }
                fragments.append(text);
            }
        }
        if (!last) {
            return Assembled.PARTIAL;
        }
        Assembled whole = tooLarge ? Assembled.TOO_LARGE : new Assembled.Whole(fragments.toString());
        fragments = null;
        bytes = 0;
        tooLarge = false;
        return whole;
    }

    private boolean fits(String text) {
        return (long) text.length() * 3 <= maxBytes || utf8Length(text) <= maxBytes;
    }

    /**
     * The UTF-8 size of a text, without encoding it.
     *
     * @param text the text
     * @return its size in bytes
     */
    static long utf8Length(CharSequence text) {
        long size = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // a surrogate pair is 4 bytes, 2 for each half
            size += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return size;
    }

    /** What a fragment completed. */
    sealed interface Assembled {
        /** The message is incomplete: more fragments follow. */
        Partial PARTIAL = new Partial();
        /** The message was over the limit. */
        TooLarge TOO_LARGE = new TooLarge();

        /**
         * A whole message within the limit.
         *
         * @param text the message
         */
        record Whole(String text) implements Assembled {
        }

        /** The message was over the limit. */
        record TooLarge() implements Assembled {
        }

        /** More fragments follow. */
        record Partial() implements Assembled {
        }
    }
}
