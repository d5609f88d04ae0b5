package io.microchat.bench.soak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's messages: each has a sequence number (its text is {@code soak <seq>}), a recipient, and once
 * acknowledged, the id the server gave it and the instance that acknowledged it.
 */
final class Ledger {

    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, String> recipients = new ConcurrentHashMap<>();
    private final Map<Integer, Acked> acked = new ConcurrentHashMap<>();

    int newMessage(String recipient) {
        int seq = next.getAndIncrement();
        recipients.put(seq, recipient);
        return seq;
    }

    void acknowledged(int seq, String id, int instance, long at) {
        acked.putIfAbsent(seq, new Acked(id, instance, at));
    }

    int sent() {
        return next.get();
    }

    Map<Integer, Acked> acked() {
        return acked;
    }

    String recipient(int seq) {
        return recipients.get(seq);
    }

    static String text(int seq) {
        return "soak " + seq;
    }

    /**
     * The sequence number of a soak message's text.
     *
     * @param text the text
     * @return the number, or -1 for another text
     */
    static int seqOf(String text) {
        return text.startsWith("soak ") ? Integer.parseInt(text.substring(5)) : -1;
    }

    /**
     * An acknowledgement.
     *
     * @param id       the stored message's id
     * @param instance the instance (0-based) the sender was connected to
     * @param at       when it came, epoch milliseconds
     */
    record Acked(String id, int instance, long at) {
    }
}
