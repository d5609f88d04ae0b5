package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** What the operator observed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MicroChatStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending, Progressing, Ready, Degraded or Failed.")
    @PrinterColumn(name = "Phase")
    public String phase;

    @JsonPropertyDescription("Ready, Progressing and SpecValid, in the usual Kubernetes shape.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Auth pods.")
    public ComponentStatus auth;

    @JsonPropertyDescription("Chat pods.")
    public ComponentStatus chat;

    @JsonPropertyDescription("Managed Redis pods (absent when external).")
    public ComponentStatus redis;

    @JsonPropertyDescription("Managed MongoDB pods (absent when external).")
    public ComponentStatus mongodb;

    @JsonPropertyDescription("The managed MongoDB replica set (absent when external).")
    public ReplicaSetStatus replicaSet;

    @JsonPropertyDescription("Chat pods that exist, for the scale subresource.")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Chat pods ready.")
    @PrinterColumn(name = "Ready")
    public Integer readyReplicas;

    @JsonPropertyDescription("The label selector of the chat pods, for the scale subresource.")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("Where the app is, when an ingress host is set.")
    @PrinterColumn(name = "URL")
    public String url;

    @JsonPropertyDescription("The last problem, in words; absent when there is none.")
    public String message;
}
