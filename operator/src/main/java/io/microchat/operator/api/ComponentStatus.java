package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Pods of one component. */
public class ComponentStatus {

    @JsonPropertyDescription("Pods wanted.")
    public int desiredReplicas;

    @JsonPropertyDescription("Pods ready.")
    public int readyReplicas;

    public ComponentStatus() {
    }

    public ComponentStatus(int desiredReplicas, int readyReplicas) {
        this.desiredReplicas = desiredReplicas;
        this.readyReplicas = readyReplicas;
    }
}
