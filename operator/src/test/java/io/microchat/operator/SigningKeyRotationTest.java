package io.microchat.operator;

import java.time.Duration;
import java.time.Instant;

import io.microchat.operator.SigningKeyRotation.AddNext;
import io.microchat.operator.SigningKeyRotation.DropPrevious;
import io.microchat.operator.SigningKeyRotation.Inputs;
import io.microchat.operator.SigningKeyRotation.MarkPublished;
import io.microchat.operator.SigningKeyRotation.MarkRetired;
import io.microchat.operator.SigningKeyRotation.Promote;
import io.microchat.operator.SigningKeyRotation.RecordActiveSince;
import io.microchat.operator.SigningKeyRotation.State;
import io.microchat.operator.SigningKeyRotation.Wait;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/** Each step of a signing-key rotation, and each thing that must hold it back, as a pure function. */
class SigningKeyRotationTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration PROPAGATION = Duration.ofMinutes(6);

    private static Inputs at(Instant now, boolean rolledOut, String request) {
        return new Inputs(now, PERIOD, LIFETIME, PROPAGATION, rolledOut, request);
    }

    private static State idle(Instant activeSince) {
        return new State(false, false, activeSince, null, null, null);
    }

    @Test
    void aSecretFromBeforeRotationGetsItsStartRecordedFirst() {
        assertThat(SigningKeyRotation.next(new State(false, false, null, null, null, null), at(T0, true, null)),
                   is(new RecordActiveSince(T0)));
    }

    @Test
    void aKeyYoungerThanThePeriodKeepsSigning() {
        var step = SigningKeyRotation.next(idle(T0), at(T0.plus(PERIOD).minusSeconds(1), true, null));
        assertThat(step, is(new Wait(T0.plus(PERIOD), "The signing key is rotated at " + T0.plus(PERIOD) + ".")));
    }

    @Test
    void aKeyAsOldAsThePeriodIsRotatedByPublishingANewOneFirst() {
        var step = SigningKeyRotation.next(idle(T0), at(T0.plus(PERIOD), true, null));
        assertThat(step, instanceOf(AddNext.class));
    }

    @Test
    void aNewAnnotationValueRotatesAtOnceAndOnlyOnce() {
        var asked = SigningKeyRotation.next(idle(T0), at(T0.plusSeconds(60), true, "now-please"));
        assertThat(asked, is(new AddNext("now-please", "asked for by the annotation")));
        var handled = new State(false, false, T0.plusSeconds(600), null, null, "now-please");
        assertThat(SigningKeyRotation.next(handled, at(T0.plusSeconds(900), true, "now-please")),
                   instanceOf(Wait.class));
    }

    @Test
    void theNewKeyCountsAsPublishedOnlyOnceEveryAuthPodRunsIt() {
        var added = new State(true, false, T0, null, null, null);
        var rolling = SigningKeyRotation.next(added, at(T0.plus(PERIOD), false, null));
        assertThat(rolling, instanceOf(Wait.class));
        assertThat(((Wait) rolling).until(), is((Instant) null));
        assertThat(SigningKeyRotation.next(added, at(T0.plus(PERIOD), true, null)),
                   is(new MarkPublished(T0.plus(PERIOD))));
    }

    @Test
    void theNewKeySignsOnlyAPropagationDelayAfterItWasPublishedEverywhere() {
        Instant published = T0.plus(PERIOD);
        var state = new State(true, false, T0, published, null, null);
        assertThat(SigningKeyRotation.next(state, at(published.plus(PROPAGATION).minusSeconds(1), true, null)),
                   instanceOf(Wait.class));
        assertThat(SigningKeyRotation.next(state, at(published.plus(PROPAGATION), true, null)),
                   is(new Promote(published.plus(PROPAGATION))));
    }

    @Test
    void theOldKeyStaysPublishedUntilTheLastTokenItSignedExpired() {
        Instant promoted = T0.plus(PERIOD);
        var promotedState = new State(false, true, promoted, null, null, null);
        assertThat("auth pods of the old template may still sign with the old key",
                   SigningKeyRotation.next(promotedState, at(promoted.plus(LIFETIME.multipliedBy(2)), false, null)),
                   instanceOf(Wait.class));
        Instant rolledOut = promoted.plusSeconds(120);
        assertThat(SigningKeyRotation.next(promotedState, at(rolledOut, true, null)), is(new MarkRetired(rolledOut)));
        var retired = new State(false, true, promoted, null, rolledOut, null);
        Instant lastExpiry = rolledOut.plus(LIFETIME).plus(SigningKeyRotation.CLOCK_SKEW);
        assertThat(SigningKeyRotation.next(retired, at(lastExpiry.minusSeconds(1), true, null)),
                   is(new Wait(lastExpiry, "The old key stays published until " + lastExpiry + ".")));
        assertThat(SigningKeyRotation.next(retired, at(lastExpiry, true, null)), is(new DropPrevious()));
    }

    @Test
    void aRequestDuringARotationWaitsUntilTheOldKeyIsGone() {
        var retiring = new State(false, true, T0, null, T0.plusSeconds(60), "first");
        assertThat(SigningKeyRotation.next(retiring, at(T0.plusSeconds(120), true, "second")),
                   instanceOf(Wait.class));
        var done = new State(false, false, T0, null, null, "first");
        assertThat(SigningKeyRotation.next(done, at(T0.plusSeconds(7200), true, "second")),
                   is(new AddNext("second", "asked for by the annotation")));
    }
}
