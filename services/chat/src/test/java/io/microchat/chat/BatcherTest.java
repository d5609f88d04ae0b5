package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

class BatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void whatPilesUpDuringAFlushIsTheNextBatchInOrder() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch firstFlushRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, 100, batch -> {
            batches.add(List.copyOf(batch));
            firstFlushRunning.countDown();
            awaitQuietly(release);
        }).start()) {
            batcher.offer(0);
            assertThat(firstFlushRunning.await(10, TimeUnit.SECONDS), is(true));
            IntStream.rangeClosed(1, 25).forEach(batcher::offer);
            release.countDown();
            assertThat(batcher.awaitDrained(WAIT.toMillis()), is(true));
        }
        assertThat(batches.stream().map(List::size).toList(), contains(1, 10, 10, 5));
        assertThat(batches.stream().flatMap(List::stream).toList(),
                   is(IntStream.rangeClosed(0, 25).boxed().toList()));
    }

    @Test
    void nothingRunsBeforeStartAndWhatWasOfferedGoesOutThen() throws Exception {
        List<Integer> flushed = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, 100, flushed::addAll)) {
            batcher.offer(1);
            assertThat("not started: nothing flushed", batcher.awaitDrained(200), is(false));
            batcher.start();
            assertThat(batcher.awaitDrained(WAIT.toMillis()), is(true));
        }
        assertThat(flushed, contains(1));
    }

    @Test
    void withNothingWaitingItIsDrainedEvenWithNoTimeLeft() {
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, 100, batch -> { }).start()) {
            assertThat(batcher.awaitDrained(0), is(true));
        }
    }

    @Test
    void aLoneItemGoesOutAlone() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, 100,
                                                             batch -> batches.add(List.copyOf(batch))).start()) {
            batcher.offer(1);
            await().atMost(WAIT).until(() -> batches.size() == 1);
            batcher.offer(2);
            await().atMost(WAIT).until(() -> batches.size() == 2);
        }
        assertThat(batches, contains(List.of(1), List.of(2)));
    }

    @Test
    void aFullQueueRefusesInsteadOfGrowing() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 1, 2, batch -> {
            flushing.countDown();
            awaitQuietly(release);
        }).start()) {
            batcher.offer(0);
            assertThat(flushing.await(10, TimeUnit.SECONDS), is(true));
            assertThat(batcher.offer(1), is(true));
            assertThat(batcher.offer(2), is(true));
            assertThat(batcher.offer(3), is(false));
            release.countDown();
        }
    }

    @Test
    void aBatchTakenOffTheQueueButNotYetFlushedIsNotDrained() throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch handOver = new CountDownLatch(1);
        // the batcher's thread is descheduled between taking the item and flushing it
        LinkedBlockingQueue<Batcher.Queued<Integer>> slowHandOver = new LinkedBlockingQueue<>(10) {
            @Override
            public Batcher.Queued<Integer> poll(long timeout, TimeUnit unit) throws InterruptedException {
                Batcher.Queued<Integer> item = super.poll(timeout, unit);
                if (item != null) {
                    taken.countDown();
                    handOver.await(10, TimeUnit.SECONDS);
                }
                return item;
            }
        };
        List<Integer> flushed = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, slowHandOver, flushed::addAll)
                .start()) {
            batcher.offer(1);
            assertThat(taken.await(10, TimeUnit.SECONDS), is(true));
            assertThat("an item off the queue but not flushed", batcher.awaitDrained(200), is(false));
            handOver.countDown();
            assertThat(batcher.awaitDrained(WAIT.toMillis()), is(true));
            assertThat(flushed, contains(1));
        }
    }

    /**
     * The wait counts the batch being flushed: a flush that takes long (a store short of CPU) shows at once, while
     * nothing is queued behind it, and not only once later items have aged; it is 0 once everything is flushed.
     */
    @Test
    void oldestWaitCountsTheBatchBeingFlushed() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Batcher<Integer> batcher = new Batcher<Integer>("test-writer", 10, 100, batch -> {
            flushing.countDown();
            awaitQuietly(release);
        }).start()) {
            assertThat("nothing waits", batcher.oldestWaitMillis(), is(0L));
            batcher.offer(1);
            assertThat(flushing.await(10, TimeUnit.SECONDS), is(true));
            Thread.sleep(120);
            assertThat("nothing queued", batcher.size(), is(0));
            assertThat("the batch in flight has waited", batcher.oldestWaitMillis(), greaterThanOrEqualTo(100L));
            release.countDown();
            assertThat(batcher.awaitDrained(WAIT.toMillis()), is(true));
            assertThat("flushed", batcher.oldestWaitMillis(), is(0L));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
