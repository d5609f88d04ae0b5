package io.microchat.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.dependent.AuthDeploymentDependentResource;
import io.microchat.operator.dependent.SigningKeySecretDependentResource;

/**
 * Applies {@link SigningKeyRotation}'s steps to the signing-key Secret: one step per reconcile, written with the
 * Secret's resource version (a concurrent change makes the write fail and the reconcile retry). Keys are never
 * logged; the log says which step was taken.
 */
final class SigningKeyRotator {

    /** On the MicroChat: a new value asks for a rotation now. */
    public static final String ROTATE_ANNOTATION = "microchat.io/rotate-signing-key";
    static final String ACTIVE_SINCE = "microchat.io/signing-key-active-since";
    static final String NEXT_PUBLISHED_AT = "microchat.io/next-key-published-at";
    static final String PREVIOUS_RETIRED_AT = "microchat.io/previous-key-retired-at";
    static final String HANDLED_REQUEST = "microchat.io/rotation-request-handled";
    /**
     * How long a new key is published before it signs: longer than the JWKS's {@code Cache-Control: max-age=300}
     * (a proxy may cache it) and chat's JWKS refetch interval (30 s).
     */
    static final Duration DEFAULT_PROPAGATION = Duration.ofMinutes(6);
    private static final String SIGNING = SigningKeySecretDependentResource.KEY;
    private static final String NEXT = SigningKeySecretDependentResource.NEXT;
    private static final String PREVIOUS = SigningKeySecretDependentResource.PREVIOUS;
    private static final Logger LOGGER = Logger.getLogger(SigningKeyRotator.class.getName());

    private SigningKeyRotator() {
    }

    /**
     * Takes the next step.
     *
     * @param mc          the MicroChat
     * @param secret      the signing-key Secret as cached
     * @param auth        the auth Deployment as cached
     * @param client      writes the Secret
     * @param now         the time
     * @param propagation how long a key is published before it signs
     * @return the step taken or awaited
     */
    static SigningKeyRotation.Step reconcile(MicroChat mc, Secret secret, Optional<Deployment> auth,
                                             KubernetesClient client, Instant now, Duration propagation) {
        Map<String, String> values = SecretValues.of(secret);
        Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
                : secret.getMetadata().getAnnotations();
        var state = new SigningKeyRotation.State(values.containsKey(NEXT), values.containsKey(PREVIOUS),
                                                 instant(annotations.get(ACTIVE_SINCE)),
                                                 instant(annotations.get(NEXT_PUBLISHED_AT)),
                                                 instant(annotations.get(PREVIOUS_RETIRED_AT)),
                                                 annotations.get(HANDLED_REQUEST));
        Map<String, String> requests = mc.getMetadata().getAnnotations();
        var inputs = new SigningKeyRotation.Inputs(now, Duration.parse(mc.getSpec().signingKeys.rotationPeriod),
                                                   Duration.parse(mc.getSpec().tokenLifetime), propagation,
                                                   rolledOut(secret, auth),
                                                   requests == null ? null : requests.get(ROTATE_ANNOTATION));
        SigningKeyRotation.Step step = SigningKeyRotation.next(state, inputs);
        if (step instanceof SigningKeyRotation.Wait) {
            return step;
        }
        Map<String, String> newValues = new LinkedHashMap<>(values);
        Map<String, String> newAnnotations = new HashMap<>(annotations);
        switch (step) {
            case SigningKeyRotation.RecordActiveSince record -> newAnnotations.put(ACTIVE_SINCE,
                                                                                   record.since().toString());
            case SigningKeyRotation.AddNext add -> {
                newValues.put(NEXT, SigningKeySecretDependentResource.newPrivateKeyPem());
                if (add.handledRequest() != null) {
                    newAnnotations.put(HANDLED_REQUEST, add.handledRequest());
                }
            }
            case SigningKeyRotation.MarkPublished published -> newAnnotations.put(NEXT_PUBLISHED_AT,
                                                                                  published.at().toString());
            case SigningKeyRotation.Promote promote -> {
                newValues.put(PREVIOUS, values.get(SIGNING));
                newValues.put(SIGNING, values.get(NEXT));
                newValues.remove(NEXT);
                newAnnotations.put(ACTIVE_SINCE, promote.at().toString());
                newAnnotations.remove(NEXT_PUBLISHED_AT);
                newAnnotations.remove(PREVIOUS_RETIRED_AT);
            }
            case SigningKeyRotation.MarkRetired retired -> newAnnotations.put(PREVIOUS_RETIRED_AT,
                                                                              retired.at().toString());
            case SigningKeyRotation.DropPrevious drop -> {
                newValues.remove(PREVIOUS);
                newAnnotations.remove(PREVIOUS_RETIRED_AT);
            }
            case SigningKeyRotation.Wait wait -> throw new IllegalStateException("handled above");
        }
        Map<String, String> data = new LinkedHashMap<>();
        newValues.forEach((key, value) -> data.put(key, Base64.getEncoder()
                .encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        Secret updated = new SecretBuilder(secret)
                .editMetadata().withAnnotations(newAnnotations).endMetadata()
                .withData(data)
                .withStringData(null)
                .build();
        client.resource(updated).update();
        LOGGER.info(() -> mc.getMetadata().getNamespace() + "/" + mc.getMetadata().getName() + ": "
                          + step.description());
        return step;
    }

    /**
     * Whether every auth pod runs the Secret's current content: the pod template carries the Secret's checksum,
     * and the Deployment has rolled it out to every pod (no pod of an older template is left).
     */
    static boolean rolledOut(Secret secret, Optional<Deployment> auth) {
        if (auth.isEmpty()) {
            return false;
        }
        Deployment deployment = auth.get();
        var template = deployment.getSpec().getTemplate().getMetadata();
        String checksum = template == null || template.getAnnotations() == null ? null
                : template.getAnnotations().get(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM);
        var status = deployment.getStatus();
        if (!SecretValues.checksum(secret).equals(checksum) || status == null) {
            return false;
        }
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        Long generation = deployment.getMetadata().getGeneration();
        return (generation == null || (status.getObservedGeneration() != null
                                       && status.getObservedGeneration() >= generation))
               && value(status.getUpdatedReplicas()) == wanted
               && value(status.getReplicas()) == wanted
               && value(status.getAvailableReplicas()) == wanted;
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
