package io.microchat.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;

/**
 * The messages a client holds, in arrival order, each once: a replay after a reconnect may repeat messages the
 * client already has (the server replays from a little before the last id), and this log drops the repeats by
 * id. Shared across the connections of one client session, so that a reconnect resumes where it stopped.
 */
public final class MessageLog {

    private final Map<String, JsonObject> messages = new LinkedHashMap<>();
    /** The {@code rev} of the latest edit or delete applied to each message, so an older change never undoes it. */
    private final Map<String, String> revs = new HashMap<>();
    private final boolean keepFrames;
    private String lastId;
    /** While older missed messages are being paged in: where the connection that found the gap resumed. */
    private String gapResumedAfter;
    private boolean gapOpen;
    /** Which paging may close the gap: the one started last (an earlier one may belong to a dead connection). */
    private int gapGeneration;
    private int duplicates;

    /** A log that keeps every message frame. */
    public MessageLog() {
        this(true);
    }

    private MessageLog(boolean keepFrames) {
        this.keepFrames = keepFrames;
    }

    /**
     * A log that keeps only the ids, for the repeats and where to resume: a load generator holds hundreds of
     * thousands of messages and needs none of their frames. {@link #messages()} holds nothing.
     *
     * @return the log
     */
    public static MessageLog idsOnly() {
        return new MessageLog(false);
    }

    /**
     * Adds a message frame.
     *
     * @param message the frame
     * @return true when new, false when the id was held already
     */
    public synchronized boolean add(JsonObject message) {
        String id = message.getString(Field.ID);
        if (messages.containsKey(id)) {
            duplicates++;
            return false;
        }
        messages.put(id, keepFrames ? message : null);
        if (lastId == null || id.compareTo(lastId) > 0) {
            lastId = id;
        }
        notifyAll();
        return true;
    }

    /**
     * Applies an {@code edited} or {@code deleted} frame to the message it names, when held: an edited message
     * gets the new text and {@code edited} (its time), a deleted one empty text and {@code deleted: true}, in the
     * place it had. A change older than one applied already (by {@code rev}; a replay may repeat changes) is
     * ignored.
     *
     * @param change the frame
     * @return true when it changed a message held
     */
    public synchronized boolean apply(JsonObject change) {
        String id = change.getString(Field.ID, null);
        String rev = change.getString(Field.REV, "");
        if (id == null || !messages.containsKey(id)) {
            return false;
        }
        String applied = revs.get(id);
        if (applied != null && applied.compareTo(rev) >= 0) {
            return false;
        }
        revs.put(id, rev);
        JsonObject message = messages.get(id);
        if (message != null) {
            var updated = Json.PROVIDER.createObjectBuilder(message);
            if (FrameType.DELETED.equals(change.getString(Field.TYPE, ""))) {
                updated.add(Field.TEXT, "").remove(Field.EDITED).add(Field.DELETED, true);
            } else {
                updated.add(Field.TEXT, change.getString(Field.TEXT, ""));
                if (change.containsKey(Field.EDITED_AT)) {
                    updated.add(Field.EDITED, change.getJsonNumber(Field.EDITED_AT).longValue());
                }
            }
            messages.put(id, updated.build());
        }
        notifyAll();
        return true;
    }

    /**
     * A message held, as it is now (edits and deletes applied).
     *
     * @param id the message id
     * @return the frame, or null when not held (or the log keeps no frames)
     */
    public synchronized JsonObject get(String id) {
        return messages.get(id);
    }

    /**
     * The largest message id held, where a reconnect resumes.
     *
     * @return the id, or null
     */
    public synchronized String lastId() {
        return lastId;
    }

    /**
     * Where the next connection resumes: after the newest message held, or, while a truncated replay's older
     * messages are not all paged in, where the connection that found the gap resumed (so none are skipped).
     *
     * @return the id, or null (replay only what no client of the user confirmed yet)
     */
    public synchronized String resumeAfter() {
        return gapOpen ? gapResumedAfter : lastId;
    }

    /**
     * Notes that a replay left older messages out. While a gap is open, the first one's start stands.
     *
     * @param resumedAfter where the connection that was told resumed (null for none)
     * @return the ticket to close it with
     */
    public synchronized int openGap(String resumedAfter) {
        if (!gapOpen) {
            gapOpen = true;
            gapResumedAfter = resumedAfter;
        }
        return ++gapGeneration;
    }

    /**
     * Notes that the older messages of a truncated replay are all held; only the paging started last closes the
     * gap.
     *
     * @param ticket what {@link #openGap} returned
     */
    public synchronized void closeGap(int ticket) {
        if (ticket == gapGeneration) {
            gapOpen = false;
            gapResumedAfter = null;
        }
    }

    /**
     * Every message held, in arrival order.
     *
     * @return a copy
     */
    public synchronized List<JsonObject> messages() {
        return keepFrames ? new ArrayList<>(messages.values()) : List.of();
    }

    /**
     * Whether a message is held.
     *
     * @param id the message id
     * @return true when held
     */
    public synchronized boolean contains(String id) {
        return messages.containsKey(id);
    }

    /**
     * How many repeats were dropped.
     *
     * @return the count
     */
    public synchronized int duplicatesDropped() {
        return duplicates;
    }

    /**
     * Waits until at least {@code count} messages are held.
     *
     * @param count         how many
     * @param timeoutMillis the longest wait
     * @return true when reached
     */
    public synchronized boolean awaitCount(int count, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (messages.size() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
