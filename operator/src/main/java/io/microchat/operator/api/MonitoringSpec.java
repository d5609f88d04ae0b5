package io.microchat.operator.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus monitoring. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {

    @JsonPropertyDescription("Create a ServiceMonitor (Prometheus Operator) for the auth and chat metrics, "
                             + "when the cluster has that kind.")
    @Default("false")
    public boolean serviceMonitor;

    @JsonPropertyDescription("Labels on the ServiceMonitor, e.g. the release label kube-prometheus-stack selects "
                             + "(release: prometheus); added to the operator's default (the chart's "
                             + "monitoring.serviceMonitor.labels).")
    public Map<String, String> labels;
}
