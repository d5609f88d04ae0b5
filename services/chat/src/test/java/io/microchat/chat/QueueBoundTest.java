package io.microchat.chat;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueueBoundTest {

    private final QueueBound bound = new QueueBound(100, 150);

    @Test
    void admitsBelowTheCapacityAndWithinTheAge() {
        assertThat(bound.retryAfterMillis(0, 0), is(0L));
        assertThat(bound.retryAfterMillis(99, 150), is(0L));
    }

    @Test
    void refusesAtTheCapacity() {
        assertThat(bound.retryAfterMillis(100, 0), is(QueueBound.MIN_RETRY_MILLIS));
        assertThat(bound.retryAfterMillis(5_000, 120), is(120L));
    }

    @Test
    void refusesWhenTheOldestWaitedTooLong() {
        assertThat(bound.retryAfterMillis(1, 151), is(151L));
        assertThat(bound.retryAfterMillis(1, 900), is(900L));
    }

    @Test
    void theHintStaysBetweenItsBounds() {
        assertThat(bound.retryAfterMillis(100, 1), is(QueueBound.MIN_RETRY_MILLIS));
        assertThat(bound.retryAfterMillis(1, 60_000), is(QueueBound.MAX_RETRY_MILLIS));
    }

    @Test
    void aBoundNeedsRoom() {
        assertThrows(IllegalArgumentException.class, () -> new QueueBound(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new QueueBound(10, 0));
    }
}
