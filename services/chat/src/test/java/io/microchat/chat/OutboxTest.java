package io.microchat.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.metrics.api.Metrics;
import io.helidon.websocket.WsSession;
import io.microchat.protocol.CloseCode;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** The outbox's byte accounting and its slow-reader close, against a session whose writes can be held up. */
class OutboxTest {

    private static final long LIMIT = 10_000;
    private final ChatMetrics metrics = new ChatMetrics(Metrics.globalRegistry(), "outbox-test");
    private final OutboxBudgets budgets = new OutboxBudgets(LIMIT, 2 * LIMIT, 1L << 30);
    private final StuckSession session = new StuckSession();

    /** An outbox that writes to a session frame by frame, as to any session Helidon's upgrade did not make. */
    private Outbox outboxOf(WsSession target, OutboxBudgets limits) {
        return new Outbox(target, FrameWriter.of(target), Thread.currentThread(), metrics, limits);
    }

    @Test
    void aReaderThatKeepsUpNeverHitsTheLimit() {
        session.release.countDown();
        Outbox outbox = outboxOf(session, budgets);
        for (int i = 0; i < 1_000; i++) {
            outbox.add("x".repeat(1_000), 0, null);
            outbox.awaitFlushed(1_000);
        }
        assertThat(outbox.isClosed(), is(false));
        await().until(() -> budgets.total() == 0 && outbox.queuedBytes() == 0);
        assertThat(session.written.size(), is(1_000));
    }

    @Test
    void oneLargeFrameGoesOutWhateverItsSize() {
        session.release.countDown();
        Outbox outbox = outboxOf(session, budgets);
        outbox.add("y".repeat(100_000), 0, null);
        outbox.awaitFlushed(5_000);
        assertThat(outbox.isClosed(), is(false));
        await().until(() -> budgets.total() == 0);
    }

    @Test
    void aStuckReaderIsClosedWith4429AtTheFrameAfterTheLimitAndEverythingIsReleased() {
        Outbox outbox = outboxOf(session, budgets);
        String frame = "z".repeat(1_000); // costs 2,064
        outbox.add(frame, 0, null);
        await().until(() -> session.sending); // the drainer is stuck in the first write, holding the send lock
        int accepted = 1;
        while (!outbox.isClosed() && accepted < 100) {
            outbox.add(frame, 0, null);
            accepted++;
            assertThat(outbox.queuedBytes(), lessThanOrEqualTo(LIMIT + Outbox.cost(frame)));
        }
        // refused the first frame queued after more than 10,000 bytes: 5 were queued (10,320), the 6th was refused
        assertThat(accepted, is(6));
        assertThat(outbox.isClosed(), is(true));
        // the write in progress holds the send lock: the close waits, then cuts the socket (a reader that is not a
        // virtual thread, as here, cannot be interrupted out of its socket: terminate() instead)
        await().atMost(Outbox.CLOSE_WAIT_MILLIS * 3, TimeUnit.MILLISECONDS).until(() -> session.terminated);
        session.release.countDown();
        await().until(() -> budgets.total() == 0 && outbox.queuedBytes() == 0);
        outbox.add(frame, 0, null);
        assertThat(budgets.total(), is(0L)); // nothing is queued after the close
    }

    @Test
    void theCloseCodeGoesOutWhenNoWriteIsStuck() {
        session.release.countDown();
        Outbox outbox = outboxOf(session, budgets);
        outbox.closeNow(CloseCode.TOO_SLOW, "client too slow");
        assertThat(session.closes, contains(CloseCode.TOO_SLOW));
    }

    @Test
    void aUsersConnectionsShareTheUserLimit() {
        OutboxBudgets.User user = budgets.join("alice");
        Outbox first = outboxOf(session, budgets);
        Outbox second = outboxOf(new StuckSession(), budgets);
        first.chargeTo(user);
        second.chargeTo(user);
        String frame = "u".repeat(2_000); // 4,064
        for (int i = 0; i < 3; i++) {
            first.add(frame, 0, null);  // 12,192 on the first: over its own limit, but not refused yet
        }
        for (int i = 0; i < 2; i++) {
            second.add(frame, 0, null); // 20,320 for alice
        }
        assertThat(first.isClosed() || second.isClosed(), is(false));
        second.add(frame, 0, null);     // alice held more than 20,000 before it
        assertThat(second.isClosed(), is(true));
        assertThat(first.isClosed(), is(false));
        budgets.leave("alice");
    }

    @Test
    void replayedMessagesDoNotCountAgainstTheConnection() {
        Outbox outbox = outboxOf(session, budgets);
        for (int i = 0; i < 50; i++) {
            outbox.add("r".repeat(1_000), 0, ChatMetrics.Path.REPLAY);
        }
        outbox.add("{\"type\":\"replayed\"}", 0, null);
        outbox.add("live", 0, ChatMetrics.Path.LOCAL);
        assertThat(outbox.isClosed(), is(false));
        assertThat(budgets.total(), is(outbox.queuedBytes()));
        session.release.countDown();
        await().until(() -> budgets.total() == 0);
    }

    @Test
    void theInstanceTotalCountsEveryConnectionUntilWritten() {
        OutboxBudgets small = new OutboxBudgets(LIMIT, 2 * LIMIT, 5_000);
        Outbox first = outboxOf(session, small);
        StuckSession stuck = new StuckSession();
        Outbox second = outboxOf(stuck, small);
        first.add("a".repeat(1_000), 0, null);
        assertThat("2,064 of 5,000", small.overInstanceLimit(), is(false));
        second.add("b".repeat(1_500), 0, null);
        assertThat("5,128 of 5,000: history and conversations wait", small.overInstanceLimit(), is(true));
        session.release.countDown();
        await().until(() -> small.total() == Outbox.cost("b".repeat(1_500)));
        assertThat(small.overInstanceLimit(), is(false));
        second.closedByPeer();
        stuck.terminate(); // the socket closed under the write: the frame it held is released too
        await().until(() -> small.total() == 0);
    }

    @Test
    void whatWaitsWhileAWriteIsInProgressGoesOutInOneWriteUpToTheBatchSizeAndNotPastAClose() {
        BatchRecorder writer = new BatchRecorder();
        OutboxBudgets roomy = new OutboxBudgets(1L << 20, 1L << 21, 1L << 30); // the large frame is within limits
        Outbox outbox = new Outbox(session, writer, Thread.currentThread(), metrics, roomy);
        outbox.add("first", 0, null);
        await().until(() -> writer.writing); // held in the first write: what comes now waits
        String large = "L".repeat(Outbox.BATCH_CHARS - 1);
        outbox.add("a", 0, null);
        outbox.add("b", 0, null);
        outbox.add(large, 0, null); // a + b + large passes the batch size: large goes in the next write
        outbox.add("c", 0, null);
        outbox.closeAfterQueued(CloseCode.TOO_SLOW, "bye");
        outbox.add("after the close", 0, null);
        writer.release.countDown();
        await().until(outbox::isClosed);
        await().until(() -> roomy.total() == 0 && outbox.queuedBytes() == 0);
        assertThat(writer.batches, contains(List.of("first"), List.of("a", "b"), List.of(large, "c")));
        assertThat(session.closes, contains(CloseCode.TOO_SLOW));
    }

    /** A writer that batches, whose first write blocks until released. */
    private static final class BatchRecorder extends FrameWriter {
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        volatile boolean writing;

        @Override
        boolean batches() {
            return true;
        }

        @Override
        void write(List<String> frames) {
            writing = true;
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batches.add(List.copyOf(frames));
        }
    }

    /** A session whose first write blocks until released, as a write to a client that reads nothing does. */
    private static final class StuckSession extends RecordingSession {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile boolean sending;

        @Override
        public WsSession send(String text, boolean last) {
            sending = true;
            try {
                while (!release.await(10, TimeUnit.MILLISECONDS)) {
                    if (terminated) {
                        throw new IllegalStateException("socket closed");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(text);
            return this;
        }
    }
}
