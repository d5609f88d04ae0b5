package io.microchat.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.microchat.operator.api.MicroChat;

/** The {@code app.kubernetes.io/*} labels on everything the operator makes. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String VERSION = "app.kubernetes.io/version";
    /** On the Services whose pods export Prometheus metrics. */
    public static final String METRICS = "microchat.io/metrics";
    public static final String OPERATOR = "microchat-operator";
    /** What the operator's informers select: only what it made. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /**
     * The labels that pick a component's pods; stable for the life of the workload.
     *
     * @param mc        the MicroChat
     * @param component auth, chat, redis or mongodb
     * @return the selector labels
     */
    public static Map<String, String> selector(MicroChat mc, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "microchat");
        labels.put(INSTANCE, mc.getMetadata().getName());
        labels.put(COMPONENT, component);
        return labels;
    }

    /**
     * Every label of a component's objects.
     *
     * @param mc        the MicroChat
     * @param component auth, chat, redis, mongodb or another part
     * @return the labels
     */
    public static Map<String, String> of(MicroChat mc, String component) {
        Map<String, String> labels = selector(mc, component);
        labels.put(PART_OF, "microchat");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(VERSION, OperatorDefaults.version());
        return labels;
    }

    /**
     * A selector as the scale subresource wants it.
     *
     * @param labels the labels
     * @return {@code k=v,k=v}
     */
    public static String asSelector(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * The metadata of an object this MicroChat owns: its name, the MicroChat's namespace, the standard labels.
     *
     * @param mc        the MicroChat
     * @param name      the object's name
     * @param component the component it belongs to
     * @return the metadata
     */
    public static ObjectMeta metadata(MicroChat mc, String name, String component) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(mc.getMetadata().getNamespace())
                .withLabels(of(mc, component))
                .withOwnerReferences(owner(mc))
                .build();
    }

    /**
     * The owner reference of everything a MicroChat owns, as a controller's: {@code controller: true} (so other
     * controllers and {@code kubectl} know who manages it) and {@code blockOwnerDeletion} (foreground deletion waits
     * for it). fabric8's and JOSDK's own reference lacks both; set here, theirs is not added again.
     *
     * @param mc the MicroChat
     * @return the reference; none while the MicroChat has no uid (not yet stored)
     */
    public static List<OwnerReference> owner(MicroChat mc) {
        if (mc.getMetadata().getUid() == null) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder()
                               .withApiVersion(mc.getApiVersion())
                               .withKind(mc.getKind())
                               .withName(mc.getMetadata().getName())
                               .withUid(mc.getMetadata().getUid())
                               .withController(true)
                               .withBlockOwnerDeletion(true)
                               .build());
    }
}
