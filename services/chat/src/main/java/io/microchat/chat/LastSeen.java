package io.microchat.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last seen (docs/protocol.md, "Last seen"): when presence announces users offline (their last connection on every
 * instance ended, or their instance stopped beating), the time is stored ({@link UserPreferences#recordLastSeen},
 * the later time wins) and the {@code presence} frame carries it for those who show it.
 *
 * <p>Presence calls this from its tick; the storage work runs on a thread of its own, one change after another, so
 * a slow MongoDB delays presence frames (in order) and never the heartbeat. Every instance sees the same change
 * and records it (the users gone in one tick in one bulk write, and one read of who shows it), which keeps the
 * time right when the instance the user left is the one that died.
 */
final class LastSeen implements Presence.PresenceChanges {

    private static final Logger LOGGER = Logger.getLogger(LastSeen.class.getName());

    private final UserPreferences preferences;
    private final Delivery delivery;
    private final LongSupplier clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("last-seen").daemon().unstarted(r));

    /**
     * Last seen.
     *
     * @param preferences where last seen is kept
     * @param delivery    where presence changes go
     * @param clock       the time in milliseconds
     */
    LastSeen(UserPreferences preferences, Delivery delivery, LongSupplier clock) {
        this.preferences = preferences;
        this.delivery = delivery;
        this.clock = clock;
    }

    @Override
    public void changed(List<String> online, List<String> offline) {
        long now = clock.getAsLong();
        worker.execute(() -> delivery.presenceChanged(online, offline, record(offline, now)));
    }

    /** Records when users went offline; answers the times of those who show it, by name (empty on failure). */
    private Map<String, Long> record(List<String> offline, long at) {
        if (offline.isEmpty()) {
            return Map.of();
        }
        Map<String, String> names = new HashMap<>();
        offline.forEach(name -> names.put(Users.key(name), name));
        try {
            preferences.recordLastSeen(names.keySet(), at);
            Map<String, Long> shown = new HashMap<>();
            preferences.visibleLastSeen(names.keySet()).forEach((key, seen) -> shown.put(names.get(key), seen));
            return shown;
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "last seen not recorded for " + offline, e);
            return Map.of();
        }
    }

    /** Stops the worker (what is queued is dropped). */
    void close() {
        worker.shutdownNow();
    }
}
