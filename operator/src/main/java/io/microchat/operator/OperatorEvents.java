package io.microchat.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;

/**
 * Kubernetes Events for the operator's decisions, on the MicroChat they concern ({@code kubectl describe mc}
 * shows them): a spec refused, chat pods scaled, volumes expanded, a storage change refused. An Event that cannot
 * be written is logged, never fatal.
 */
public final class OperatorEvents {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    static final String COMPONENT = "microchat-operator";
    private static final Logger LOGGER = Logger.getLogger(OperatorEvents.class.getName());

    private OperatorEvents() {
    }

    /**
     * The Event for a decision.
     *
     * @param mc      the MicroChat
     * @param type    Normal or Warning
     * @param reason  a short CamelCase reason, e.g. SpecInvalid
     * @param message what was decided, in words
     * @param now     when
     * @return the Event
     */
    public static Event of(MicroChat mc, String type, String reason, String message, Instant now) {
        String time = now.toString();
        return new EventBuilder()
                .withNewMetadata()
                .withName(mc.getMetadata().getName() + "." + reason.toLowerCase(Locale.ROOT) + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(mc.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(mc.getApiVersion())
                .withKind(mc.getKind())
                .withName(mc.getMetadata().getName())
                .withNamespace(mc.getMetadata().getNamespace())
                .withUid(mc.getMetadata().getUid())
                .withResourceVersion(mc.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }

    /** A decision worth an Event. */
    public record Decision(String type, String reason, String message) {
    }

    /**
     * The decisions a status change shows: a spec refused, a change that cannot be applied, chat pods scaled.
     *
     * @param previous the status before (null for a new MicroChat)
     * @param current  the status now
     * @return the decisions, in that order
     */
    public static List<Decision> decisions(MicroChatStatus previous, MicroChatStatus current) {
        List<Decision> decisions = new ArrayList<>();
        boolean wasFailed = previous != null && StatusCalculator.FAILED.equals(previous.phase);
        if (StatusCalculator.FAILED.equals(current.phase)
            && (!wasFailed || !Objects.equals(previous.message, current.message))) {
            decisions.add(new Decision(WARNING, "SpecInvalid", "Nothing changed: " + current.message));
        }
        String refused = refusal(current);
        if (refused != null && (previous == null || !refused.equals(refusal(previous)))) {
            decisions.add(new Decision(WARNING, "ChangeRefused", refused));
        }
        Integer before = previous == null || previous.chat == null ? null : previous.chat.desiredReplicas;
        if (before != null && current.chat != null && before != current.chat.desiredReplicas) {
            decisions.add(new Decision(NORMAL, "Scaled", "Chat pods: " + before + " -> "
                                                         + current.chat.desiredReplicas));
        }
        return decisions;
    }

    private static String refusal(MicroChatStatus status) {
        return status.conditions == null ? null : status.conditions.stream()
                .filter(c -> StatusCalculator.SPEC_APPLIED.equals(c.getType()) && "False".equals(c.getStatus()))
                .map(Condition::getMessage).findFirst().orElse(null);
    }

    /**
     * Records a decision.
     *
     * @param client  the client
     * @param mc      the MicroChat
     * @param type    Normal or Warning
     * @param reason  a short CamelCase reason
     * @param message what was decided
     */
    public static void record(KubernetesClient client, MicroChat mc, String type, String reason, String message) {
        try {
            client.v1().events().inNamespace(mc.getMetadata().getNamespace())
                    .resource(of(mc, type, reason, message, Instant.now())).create();
        } catch (KubernetesClientException e) {
            LOGGER.warning(() -> "could not record the Event " + reason + " on " + mc.getMetadata().getName() + ": "
                                 + e.getMessage());
        }
    }
}
