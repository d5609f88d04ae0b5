package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus monitoring. */
public class MonitoringSpec {

    @JsonPropertyDescription("Create a ServiceMonitor (Prometheus Operator) for the auth and chat metrics, "
                             + "when the cluster has that kind.")
    @Default("false")
    public boolean serviceMonitor;
}
