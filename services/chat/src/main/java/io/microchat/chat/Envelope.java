package io.microchat.chat;

/**
 * What travels on Redis between instances: the origin instance (which ignores its own publications, having
 * delivered locally already), and either a message with the fields routing needs plus its ready-made client
 * frame, or a bare frame (a receipt). Fields are separated by {@code |}, which neither usernames, ids nor
 * instance ids contain; the frame comes last and may contain anything.
 *
 * @param origin  the instance that published it
 * @param message the message (without its text: the frame carries it), or null for a bare frame
 * @param frame   the client frame
 */
record Envelope(String origin, ChatMessage message, String frame) {

    static String message(String origin, ChatMessage m, String frame) {
        return "M|" + origin + "|" + m.id() + "|" + m.ts() + "|" + m.from() + "|" + (m.to() == null ? "" : m.to())
                + "|" + (m.room() == null ? "" : m.room()) + "|" + frame;
    }

    static String frame(String origin, String frame) {
        return "F|" + origin + "|" + frame;
    }

    /**
     * Whether a payload was published by an instance, without reading the rest of it: every instance receives its
     * own publications on the channels it subscribes to, and drops them.
     *
     * @param payload the Redis payload
     * @param origin  the instance
     * @return true when {@code origin} published it
     */
    static boolean isFrom(String payload, String origin) {
        int end = 2 + origin.length();
        return payload.length() > end && payload.charAt(1) == '|' && payload.charAt(end) == '|'
               && payload.startsWith(origin, 2);
    }

    /**
     * Reads an envelope.
     *
     * @param payload the Redis payload
     * @return the envelope, or null when it is not one
     */
    static Envelope parse(String payload) {
        if (payload.startsWith("F|")) {
            int end = payload.indexOf('|', 2);
            return end < 0 ? null : new Envelope(payload.substring(2, end), null, payload.substring(end + 1));
        }
        if (!payload.startsWith("M|")) {
            return null;
        }
        String[] parts = payload.split("\\|", 8);
        if (parts.length != 8) {
            return null;
        }
        ChatMessage message = new ChatMessage(parts[2], Long.parseLong(parts[3]), parts[4],
                                              parts[5].isEmpty() ? null : parts[5],
                                              parts[6].isEmpty() ? null : parts[6], null, null, null);
        return new Envelope(parts[1], message, parts[7]);
    }
}
