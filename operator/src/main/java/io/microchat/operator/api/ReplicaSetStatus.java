package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The managed MongoDB replica set as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaSetStatus {

    @JsonPropertyDescription("Whether the replica set was initiated.")
    public boolean initiated;

    @JsonPropertyDescription("The members of the replica set's configuration, by host.")
    public List<String> members = new ArrayList<>();

    @JsonPropertyDescription("The configuration's version.")
    public Integer configVersion;

    @JsonPropertyDescription("Whether the application user exists.")
    public boolean applicationUser;

    @JsonPropertyDescription("What the operator did or waits for last, in words.")
    public String message;
}
