package io.microchat.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a connection's stream in order while a replay runs: live frames (messages, receipts, presence) that come
 * meanwhile are held, and go out after the replayed messages, minus those the replay already carried.
 *
 * <p>Locking: {@code lock} guards {@code replaying} and {@code held}; frames are handed to {@code out} under it,
 * so that a frame passed while a replay finishes cannot overtake the replayed ones.
 */
final class ReplayGate {

    private final Consumer<Held> out;
    private final Object lock = new Object();
    /** Whether a replay runs. Guarded by {@code lock}. */
    private boolean replaying;
    /** What came while it runs, in order; null when none runs. Guarded by {@code lock}. */
    private List<Held> held;

    /**
     * A gate.
     *
     * @param out where frames go when they may (the connection's outbox)
     */
    ReplayGate(Consumer<Held> out) {
        this.out = out;
    }

    /** Starts holding live frames (a replay starts); nothing when one runs already. */
    void start() {
        synchronized (lock) {
            if (!replaying) {
                replaying = true;
                held = new ArrayList<>();
            }
        }
    }

    /**
     * Sends a live frame on, or holds it while a replay runs.
     *
     * @param frame the frame
     */
    void pass(Held frame) {
        synchronized (lock) {
            if (replaying) {
                held.add(frame);
            } else {
                out.accept(frame);
            }
        }
    }

    /**
     * Ends the replay: the replayed frames go out first, then the trailer, then the live ones held meanwhile,
     * except messages the replay already carried.
     *
     * @param replayed the replayed messages in order, with their frames, then the replayed changes (no message)
     * @param trailer  a frame sent right after the replayed ones
     */
    void finish(List<Held> replayed, String trailer) {
        synchronized (lock) {
            Set<String> replayedIds = new HashSet<>();
            for (Held h : replayed) {
                if (h.message() != null) {
                    replayedIds.add(h.message().id()); // else an edit or delete of an older message
                }
                out.accept(h);
            }
            out.accept(new Held(null, trailer, null));
            for (Held h : held == null ? List.<Held>of() : held) {
                if (h.message() == null || !replayedIds.contains(h.message().id())) {
                    out.accept(h);
                }
            }
            held = null;
            replaying = false;
        }
    }

    /**
     * A message frame held during replay, or replayed; or (without a message) another frame.
     *
     * @param message the message, or null for a frame that is not a message
     * @param frame   its frame
     * @param path    how the message reached this instance, or null
     */
    record Held(ChatMessage message, String frame, ChatMetrics.Path path) {
    }
}
