package io.microchat.chat;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Message ids that sort by time: 12 hex digits of epoch milliseconds, 4 of a random per-process tag, 6 of a
 * counter ({@code 019a8f3c2b1e7c4d000001}). Ordering by id is ordering by acceptance time, so history and
 * replay use the id itself as the cursor; ids of different instances never collide.
 */
final class MessageIds {

    static final Pattern FORMAT = Pattern.compile("[0-9a-f]{22}");
    private static final String HEX = "0123456789abcdef";

    private final String tag;
    private final AtomicLong counter = new AtomicLong();

    MessageIds() {
        this(new SecureRandom().nextInt(0x10000));
    }

    MessageIds(int tag) {
        this.tag = hex(tag, 4);
    }

    String next(long epochMillis) {
        return hex(epochMillis, 12) + tag + hex(counter.incrementAndGet() & 0xFFFFFF, 6);
    }

    static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    static long timeOf(String id) {
        return Long.parseLong(id.substring(0, 12), 16);
    }

    /**
     * The smallest id at a given time: every id accepted at or after {@code epochMillis} sorts after it.
     *
     * @param epochMillis the time
     * @return an id floor
     */
    static String floorAt(long epochMillis) {
        return hex(Math.max(0, epochMillis), 12) + "0000000000";
    }

    private static String hex(long value, int digits) {
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = HEX.charAt((int) (value & 0xF));
            value >>>= 4;
        }
        return new String(out);
    }
}
