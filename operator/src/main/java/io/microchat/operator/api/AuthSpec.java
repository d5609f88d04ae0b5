package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The auth service's workload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {

    @JsonPropertyDescription("Container image; defaults to the operator's own release of the auth image.")
    public String image;

    @JsonPropertyDescription("Number of auth pods.")
    @Min(1)
    @Max(20)
    @Default("2")
    public int replicas = 2;

    @JsonPropertyDescription("CPU and memory requests and limits; sensible defaults when absent.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables for the auth container.")
    public List<EnvVar> env = new ArrayList<>();
}
