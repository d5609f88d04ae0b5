package io.microchat.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.PlacementSpec;

/**
 * What every pod the operator creates gets from the spec: the image pull secrets ({@code spec.imagePullSecrets},
 * else the operator's default) and the component's placement (node selector, tolerations, affinity, spread,
 * priority, extra labels and annotations). Each dependent applies it to its pod template with one call, last.
 */
public final class PodPlacement {

    private PodPlacement() {
    }

    /**
     * Applies the pull secrets and a component's placement to a pod template, in place.
     *
     * @param mc        the MicroChat
     * @param placement the component's placement, or null
     * @param template  the pod template, whose labels are the component's selector
     * @param defaults  the operator's defaults (its pull secrets)
     * @return the template
     */
    public static PodTemplateSpec apply(MicroChat mc, PlacementSpec placement, PodTemplateSpec template,
                                        OperatorDefaults defaults) {
        var pod = template.getSpec();
        List<LocalObjectReference> pullSecrets = imagePullSecrets(mc, defaults.imagePullSecrets());
        pod.setImagePullSecrets(pullSecrets.isEmpty() ? null : pullSecrets);
        if (placement == null) {
            return template;
        }
        if (placement.podLabels != null) {
            Map<String, String> labels = new LinkedHashMap<>(placement.podLabels);
            labels.putAll(template.getMetadata().getLabels());
            template.getMetadata().setLabels(labels);
        }
        if (placement.podAnnotations != null) {
            Map<String, String> annotations = new LinkedHashMap<>(placement.podAnnotations);
            if (template.getMetadata().getAnnotations() != null) {
                annotations.putAll(template.getMetadata().getAnnotations());
            }
            template.getMetadata().setAnnotations(annotations);
        }
        if (placement.nodeSelector != null) {
            pod.setNodeSelector(placement.nodeSelector);
        }
        if (placement.tolerations != null) {
            pod.setTolerations(placement.tolerations);
        }
        if (placement.affinity != null) {
            pod.setAffinity(placement.affinity);
        }
        if (placement.topologySpreadConstraints != null) {
            pod.setTopologySpreadConstraints(placement.topologySpreadConstraints);
        }
        if (placement.priorityClassName != null) {
            pod.setPriorityClassName(placement.priorityClassName);
        }
        return template;
    }

    /**
     * The pull secrets of a MicroChat's pods: the spec's when it names any (an empty list means none), else the
     * operator's default.
     *
     * @param mc       the MicroChat
     * @param defaults the operator's default secrets
     * @return the references, empty for none
     */
    public static List<LocalObjectReference> imagePullSecrets(MicroChat mc, List<String> defaults) {
        if (mc.getSpec().imagePullSecrets != null) {
            return mc.getSpec().imagePullSecrets.stream().map(s -> new LocalObjectReference(s.getName())).toList();
        }
        return defaults.stream().map(LocalObjectReference::new).toList();
    }

    /**
     * Spread a component's pods evenly across nodes and zones when possible, never blocking scheduling.
     *
     * @param mc        the MicroChat
     * @param component the component
     * @return the constraints
     */
    public static List<TopologySpreadConstraint> spreadAcrossNodesAndZones(MicroChat mc, String component) {
        return List.of(spread(mc, component, "kubernetes.io/hostname"),
                       spread(mc, component, "topology.kubernetes.io/zone"));
    }

    private static TopologySpreadConstraint spread(MicroChat mc, String component, String topologyKey) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(topologyKey)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(Labels.selector(mc, component)).endLabelSelector()
                .build();
    }
}
