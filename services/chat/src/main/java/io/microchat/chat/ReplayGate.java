package io.microchat.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a connection's stream in order while a replay runs: live frames (messages, receipts, presence) that come
 * meanwhile are held, and go out after the replayed messages, minus those the replay already carried.
 *
 * <p>Replays may overlap (a catch-up starts while the {@code auth} replay, or another catch-up, still runs): the
 * gate counts them and opens only when the last one ends. The replayed messages of all of them then go out
 * together, once each and oldest first, followed by one trailer, the one of the replay that ended first (so the
 * client sees one {@code replayed} frame for overlapping replays, and after {@code auth} the {@code welcome} is
 * followed by exactly one).
 *
 * <p>Locking: {@code lock} guards every field; frames are handed to {@code out} under it, so that a frame passed
 * while a replay finishes cannot overtake the replayed ones.
 */
final class ReplayGate {

    private final Consumer<Held> out;
    private final Object lock = new Object();
    /** How many replays run. Guarded by {@code lock}. */
    private int replaying;
    /** What came while they run, in order; null when none runs. Guarded by {@code lock}. */
    private List<Held> held;
    /** The messages of the replays that ended while others still run, by id. Guarded by {@code lock}. */
    private final Map<String, Held> replayedSoFar = new LinkedHashMap<>();
    /** Their frames that are not messages, in order. Guarded by {@code lock}. */
    private final List<Held> otherFramesSoFar = new ArrayList<>();
    /** The trailer of the first of the overlapping replays that ended, or null. Guarded by {@code lock}. */
    private String trailerSoFar;
    /** How many of the overlapping replays ended. Guarded by {@code lock}. */
    private int ended;

    /**
     * A gate.
     *
     * @param out where frames go when they may (the connection's outbox)
     */
    ReplayGate(Consumer<Held> out) {
        this.out = out;
    }

    /** Starts holding live frames (a replay starts), or counts one more replay when one runs already. */
    void start() {
        synchronized (lock) {
            if (replaying++ == 0) {
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
            if (replaying > 0) {
                held.add(frame);
            } else {
                out.accept(frame);
            }
        }
    }

    /**
     * Ends a replay. When it was the last one running, the replayed frames go out first (with those of replays that
     * ended meanwhile), then the trailer (the first one handed in), then the live ones held meanwhile, except
     * messages a replay already carried. When others still run, its frames wait for them.
     *
     * @param replayed the replayed messages in order, with their frames, then the replayed changes (no message)
     * @param trailer  a frame sent right after the replayed ones
     */
    void finish(List<Held> replayed, String trailer) {
        synchronized (lock) {
            if (trailerSoFar == null) {
                trailerSoFar = trailer;
            }
            for (Held h : replayed) {
                if (h.message() == null) {
                    otherFramesSoFar.add(h);
                } else {
                    replayedSoFar.putIfAbsent(h.message().id(), h);
                }
            }
            ended++;
            if (replaying > 0 && --replaying > 0) {
                return;
            }
            List<Held> all = new ArrayList<>(replayedSoFar.values());
            if (ended > 1) {
                all.sort(Comparator.comparing(h -> h.message().id()));
            }
            all.addAll(otherFramesSoFar);
            Set<String> replayedIds = new HashSet<>(replayedSoFar.keySet());
            for (Held h : all) {
                out.accept(h);
            }
            out.accept(new Held(null, trailerSoFar, null));
            for (Held h : held == null ? List.<Held>of() : held) {
                if (h.message() == null || !replayedIds.contains(h.message().id())) {
                    out.accept(h);
                }
            }
            held = null;
            replayedSoFar.clear();
            otherFramesSoFar.clear();
            trailerSoFar = null;
            ended = 0;
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
