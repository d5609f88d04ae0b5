package io.microchat.operator;

import java.time.Duration;
import java.time.Instant;

/**
 * The next step of a signing-key rotation: a pure function of the key Secret's state, the time and whether every
 * auth pod runs the Secret's current content, so every step is tested without a cluster.
 *
 * <p>The Secret holds {@code private.pem}, the key auth signs with, and during a rotation {@code next.pem} (published
 * in the JWKS, not signing yet) or {@code previous.pem} (published, no longer signing). Auth publishes every key of
 * the Secret and signs with {@code private.pem}; a checksum of the Secret on the auth pod template rolls auth (one
 * extra pod at a time, none missing) whenever the Secret changes. A rotation is:
 * <ol>
 *   <li>{@link AddNext}: when the signing key is older than the rotation period, or a new value of the MicroChat's
 *       {@code microchat.io/rotate-signing-key} annotation asks for it: a new key as {@code next.pem};</li>
 *   <li>{@link MarkPublished}: once every auth pod runs that content, every JWKS answer includes the new key;</li>
 *   <li>{@link Promote}: a propagation delay later (longer than chat's JWKS refetch interval and the JWKS's
 *       {@code Cache-Control} max-age, so that no verifier holds a key set fetched before the new key was
 *       published): the new key becomes {@code private.pem}, the old one {@code previous.pem};</li>
 *   <li>{@link MarkRetired}: once every auth pod runs that content, no pod signs with the old key any more;</li>
 *   <li>{@link DropPrevious}: a token lifetime (and a minute of clock skew) after that, every token the old key
 *       signed has expired: it is removed.</li>
 * </ol>
 * No token is refused at any point: a key signs only after every JWKS answer has published it for the
 * propagation delay, and stays published until the last token it signed expired.
 */
public final class SigningKeyRotation {

    /** Tolerance for clocks that differ between pods. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private SigningKeyRotation() {
    }

    /**
     * Where a rotation stands, as the Secret records it.
     *
     * @param hasNext           {@code next.pem} is present
     * @param hasPrevious       {@code previous.pem} is present
     * @param activeSince       when {@code private.pem} began to sign, or null when not recorded (an old Secret)
     * @param nextPublishedAt   when every auth pod was first seen publishing {@code next.pem}, or null
     * @param previousRetiredAt when every auth pod was first seen signing with the new key, or null
     * @param handledRequest    the last {@code microchat.io/rotate-signing-key} value acted on, or null
     */
    public record State(boolean hasNext, boolean hasPrevious, Instant activeSince, Instant nextPublishedAt,
                        Instant previousRetiredAt, String handledRequest) {
    }

    /**
     * What the rotation depends on besides the Secret.
     *
     * @param now            the time
     * @param rotationPeriod how long a key signs
     * @param tokenLifetime  how long a token lives
     * @param propagation    how long a key is published before it signs
     * @param authRolledOut  every auth pod runs the Secret's current content
     * @param request        the MicroChat's {@code microchat.io/rotate-signing-key} annotation, or null
     */
    public record Inputs(Instant now, Duration rotationPeriod, Duration tokenLifetime, Duration propagation,
                         boolean authRolledOut, String request) {
    }

    /** A step. */
    public sealed interface Step {
        /** In words, for the log and the status. */
        String description();
    }

    /** Record when the signing key began to sign (a Secret made before rotation existed). */
    public record RecordActiveSince(Instant since) implements Step {
        @Override
        public String description() {
            return "Recording when the signing key began to sign.";
        }
    }

    /** Generate {@code next.pem}. */
    public record AddNext(String handledRequest, String reason) implements Step {
        @Override
        public String description() {
            return "Rotating the signing key (" + reason + "): publishing a new key.";
        }
    }

    /** Every auth pod publishes {@code next.pem} from now on. */
    public record MarkPublished(Instant at) implements Step {
        @Override
        public String description() {
            return "The new signing key is published by every auth pod.";
        }
    }

    /** {@code next.pem} becomes {@code private.pem}, {@code private.pem} becomes {@code previous.pem}. */
    public record Promote(Instant at) implements Step {
        @Override
        public String description() {
            return "Signing with the new key; the old one stays published until its tokens expired.";
        }
    }

    /** No auth pod signs with {@code previous.pem} from now on. */
    public record MarkRetired(Instant at) implements Step {
        @Override
        public String description() {
            return "No auth pod signs with the old key any more.";
        }
    }

    /** Every token {@code previous.pem} signed has expired: remove it. */
    public record DropPrevious() implements Step {
        @Override
        public String description() {
            return "Every token the old key signed has expired: the old key is no longer published.";
        }
    }

    /**
     * Nothing to do until a time, or until auth has rolled out.
     *
     * @param until       when to look again, or null when an event (a rollout) is awaited
     * @param description in words
     */
    public record Wait(Instant until, String description) implements Step {
    }

    /**
     * The next step.
     *
     * @param state  the Secret's state
     * @param inputs the rest
     * @return the step
     */
    public static Step next(State state, Inputs inputs) {
        Instant now = inputs.now();
        if (state.activeSince() == null) {
            return new RecordActiveSince(now);
        }
        if (state.hasPrevious()) {
            if (state.previousRetiredAt() == null) {
                return inputs.authRolledOut() ? new MarkRetired(now)
                        : new Wait(null, "Waiting for every auth pod to sign with the new key.");
            }
            Instant expired = state.previousRetiredAt().plus(inputs.tokenLifetime()).plus(CLOCK_SKEW);
            return now.isBefore(expired) ? new Wait(expired, "The old key stays published until " + expired + ".")
                    : new DropPrevious();
        }
        if (state.hasNext()) {
            if (state.nextPublishedAt() == null) {
                return inputs.authRolledOut() ? new MarkPublished(now)
                        : new Wait(null, "Waiting for every auth pod to publish the new key.");
            }
            Instant signable = state.nextPublishedAt().plus(inputs.propagation());
            return now.isBefore(signable) ? new Wait(signable, "The new key signs from " + signable + ".")
                    : new Promote(now);
        }
        if (inputs.request() != null && !inputs.request().equals(state.handledRequest())) {
            return new AddNext(inputs.request(), "asked for by the annotation");
        }
        Instant due = state.activeSince().plus(inputs.rotationPeriod());
        return now.isBefore(due) ? new Wait(due, "The signing key is rotated at " + due + ".")
                : new AddNext(state.handledRequest(), "older than " + inputs.rotationPeriod().toDays() + " days");
    }
}
