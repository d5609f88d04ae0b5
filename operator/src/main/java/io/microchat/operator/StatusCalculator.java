package io.microchat.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.microchat.operator.api.ComponentStatus;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;

/**
 * The status of a MicroChat as a pure function of the resource and the workloads observed, so tests can check
 * every phase without a cluster.
 *
 * <ul>
 * <li>Failed: the spec has problems the schema cannot catch;</li>
 * <li>Pending: a workload does not exist yet;</li>
 * <li>Ready: every component has all its pods ready on the current template;</li>
 * <li>Progressing: a rollout or scale is under way;</li>
 * <li>Degraded: no rollout, yet pods are missing.</li>
 * </ul>
 */
public final class StatusCalculator {

    public static final String PENDING = "Pending";
    public static final String PROGRESSING = "Progressing";
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";
    public static final String FAILED = "Failed";
    /** A condition, present while a spec change cannot be applied. */
    public static final String SPEC_APPLIED = "SpecApplied";

    private StatusCalculator() {
    }

    /** The workloads as the informers see them. */
    public record Observed(Optional<Deployment> auth, Optional<Deployment> chat, Optional<Deployment> redis,
                           Optional<StatefulSet> mongodb) {
    }

    public static MicroChatStatus failed(MicroChat mc, List<String> problems, Instant now) {
        MicroChatStatus status = base(mc);
        MicroChatStatus previous = mc.getStatus();
        if (previous != null) {
            status.auth = previous.auth;
            status.chat = previous.chat;
            status.redis = previous.redis;
            status.mongodb = previous.mongodb;
            status.replicaSet = previous.replicaSet;
            status.replicas = previous.replicas;
            status.readyReplicas = previous.readyReplicas;
        }
        status.phase = FAILED;
        status.message = String.join("; ", problems);
        status.conditions = conditions(mc, now,
                                       condition("SpecValid", false, "InvalidSpec", status.message),
                                       condition("Ready", false, "InvalidSpec", "The spec must be fixed first."),
                                       condition("Progressing", false, "InvalidSpec", "Nothing is changed until then."));
        return status;
    }

    public static MicroChatStatus compute(MicroChat mc, Observed observed, Instant now) {
        MicroChatStatus status = base(mc);
        var spec = mc.getSpec();
        status.auth = component(observed.auth().map(StatusCalculator::ready), spec.auth.replicas);
        status.chat = component(observed.chat().map(StatusCalculator::ready), spec.chat.replicas);
        boolean managedRedis = spec.redis.mode == DataStoreMode.Managed;
        boolean managedMongo = spec.mongodb.mode == DataStoreMode.Managed;
        status.redis = managedRedis ? component(observed.redis().map(StatusCalculator::ready), 1) : null;
        status.mongodb = managedMongo
                ? component(observed.mongodb().map(StatusCalculator::ready), spec.mongodb.members) : null;
        status.replicas = observed.chat().map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas())
                .orElse(0);
        if (status.replicas == null) {
            status.replicas = 0;
        }
        status.readyReplicas = status.chat.readyReplicas;

        List<String> missing = new ArrayList<>();
        if (observed.auth().isEmpty()) {
            missing.add("auth");
        }
        if (observed.chat().isEmpty()) {
            missing.add("chat");
        }
        if (managedRedis && observed.redis().isEmpty()) {
            missing.add("redis");
        }
        if (managedMongo && observed.mongodb().isEmpty()) {
            missing.add("mongodb");
        }
        List<String> lacking = new ArrayList<>();
        addShort(lacking, "auth", status.auth);
        addShort(lacking, "chat", status.chat);
        addShort(lacking, "redis", status.redis);
        addShort(lacking, "mongodb", status.mongodb);
        boolean rolling = observed.auth().map(d -> rolling(d, spec.auth.replicas)).orElse(false)
                          || observed.chat().map(d -> rolling(d, spec.chat.replicas)).orElse(false)
                          || observed.redis().map(d -> rolling(d, 1)).orElse(false);

        if (!missing.isEmpty()) {
            status.phase = PENDING;
            status.message = "Creating " + String.join(", ", missing) + ".";
        } else if (lacking.isEmpty() && !rolling) {
            status.phase = READY;
        } else if (rolling) {
            status.phase = PROGRESSING;
            status.message = lacking.isEmpty() ? "Rolling out." : "Rolling out; " + String.join(", ", lacking) + ".";
        } else {
            status.phase = DEGRADED;
            status.message = "Pods missing: " + String.join(", ", lacking) + ".";
        }
        boolean ready = READY.equals(status.phase);
        status.conditions = conditions(mc, now,
                                       condition("SpecValid", true, "Valid", "The spec is valid."),
                                       condition("Ready", ready, ready ? "AllComponentsReady" : status.phase,
                                                 ready ? "Every component has all its pods ready." : status.message),
                                       condition("Progressing", PENDING.equals(status.phase)
                                                                || PROGRESSING.equals(status.phase),
                                                 status.phase, ready ? "Nothing to do." : status.message));
        return status;
    }

    /**
     * The status when a spec change cannot be applied (a StatefulSet's immutable volume claims): the rest is
     * reconciled, but the MicroChat is not what its spec says, so a Ready or Progressing phase becomes Degraded,
     * with the reason in the message and a {@code SpecApplied} condition.
     *
     * @param mc      the MicroChat
     * @param status  the status computed from the workloads
     * @param refused why the change is refused
     * @param now     the time
     * @return the status
     */
    public static MicroChatStatus changeRefused(MicroChat mc, MicroChatStatus status, String refused, Instant now) {
        if (READY.equals(status.phase) || PROGRESSING.equals(status.phase)) {
            status.phase = DEGRADED;
        }
        status.message = status.message == null ? refused : status.message + " " + refused;
        List<Condition> conditions = new ArrayList<>(status.conditions);
        conditions.removeIf(c -> c.getType().equals("Ready"));
        conditions.addAll(conditions(mc, now, condition("Ready", false, "ChangeRefused", refused),
                                     condition(SPEC_APPLIED, false, "ChangeRefused", refused)));
        status.conditions = conditions;
        return status;
    }

    /**
     * A status computed as Ready that still waits for something outside the workloads (a database another operator
     * runs): Progressing, with the reason.
     *
     * @param mc     the MicroChat
     * @param status the computed status; changed
     * @param reason in words
     * @param now    the time
     */
    public static void waitingFor(MicroChat mc, MicroChatStatus status, String reason, Instant now) {
        status.message = status.message == null ? reason : status.message + " " + reason;
        if (!READY.equals(status.phase)) {
            return;
        }
        status.phase = PROGRESSING;
        status.conditions = conditions(mc, now,
                                       condition("SpecValid", true, "Valid", "The spec is valid."),
                                       condition("Ready", false, PROGRESSING, reason),
                                       condition("Progressing", true, PROGRESSING, reason));
    }

    private static MicroChatStatus base(MicroChat mc) {
        MicroChatStatus status = new MicroChatStatus();
        status.observedGeneration = mc.getMetadata().getGeneration();
        status.selector = Labels.asSelector(Labels.selector(mc, "chat"));
        var ingress = mc.getSpec().ingress;
        if (ingress != null && ingress.host != null) {
            status.url = (ingress.tlsSecretName != null ? "https://" : "http://") + ingress.host + "/";
        }
        return status;
    }

    private static int ready(Deployment deployment) {
        var status = deployment.getStatus();
        return status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    }

    private static int ready(StatefulSet statefulSet) {
        var status = statefulSet.getStatus();
        return status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    }

    /** A rollout or scale is under way: the controller has not caught up with the spec, or old pods remain. */
    private static boolean rolling(Deployment deployment, int desired) {
        var status = deployment.getStatus();
        if (status == null) {
            return true;
        }
        Long generation = deployment.getMetadata().getGeneration();
        boolean observedLatest = generation == null || status.getObservedGeneration() == null
                                 || status.getObservedGeneration() >= generation;
        int updated = status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
        int replicas = status.getReplicas() == null ? 0 : status.getReplicas();
        return !observedLatest || updated < desired || replicas > desired;
    }

    private static ComponentStatus component(Optional<Integer> ready, int desired) {
        return new ComponentStatus(desired, ready.orElse(0));
    }

    private static void addShort(List<String> lacking, String name, ComponentStatus component) {
        if (component != null && component.readyReplicas < component.desiredReplicas) {
            lacking.add(name + " " + component.readyReplicas + "/" + component.desiredReplicas + " ready");
        }
    }

    private static Condition condition(String type, boolean value, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(value ? "True" : "False").withReason(reason)
                .withMessage(message).build();
    }

    /** Conditions with their transition times kept while their status does not change. */
    private static List<Condition> conditions(MicroChat mc, Instant now, Condition... conditions) {
        List<Condition> previous = mc.getStatus() == null ? List.of() : mc.getStatus().conditions;
        List<Condition> result = new ArrayList<>();
        for (Condition condition : conditions) {
            String since = previous.stream()
                    .filter(p -> p.getType().equals(condition.getType()) && p.getStatus().equals(condition.getStatus()))
                    .map(Condition::getLastTransitionTime).findFirst().orElse(now.toString());
            condition.setLastTransitionTime(since);
            condition.setObservedGeneration(mc.getMetadata().getGeneration());
            result.add(condition);
        }
        return result;
    }
}
