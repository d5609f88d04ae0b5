package io.microchat.operator.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

/**
 * Where a component's pods run and what they carry beyond the operator's own labels, as the Mattermost operator's
 * {@code scheduling} and Strimzi's {@code template.pod} offer it. Every field is optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlacementSpec {

    @JsonPropertyDescription("Nodes the pods may run on, by node label.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the pods tolerate.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod affinity; replaces the operator's default, if any.")
    public Affinity affinity;

    @JsonPropertyDescription("How the pods spread across nodes and zones; replaces the operator's default (chat pods "
                             + "spread across nodes and zones).")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("The PriorityClass of the pods.")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String priorityClassName;

    @JsonPropertyDescription("Extra labels on the pods; the operator's own app.kubernetes.io labels win.")
    public Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations on the pods.")
    public Map<String, String> podAnnotations;
}
