package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
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
    @ValidationRule(value = Rules.QUANTITIES, message = Rules.QUANTITIES_MESSAGE)
    @ValidationRule(value = Rules.REQUESTS_WITHIN_LIMITS, message = Rules.REQUESTS_WITHIN_LIMITS_MESSAGE)
    public ResourceRequirements resources;

    @JsonPropertyDescription("Extra environment variables for the auth container.")
    @Size(max = Rules.MAX_ENV)
    @ValidationRule(value = Rules.ENV_NAMED, message = Rules.ENV_NAMED_MESSAGE)
    @ValidationRule(value = Rules.ENV_NOT_RESERVED, message = Rules.ENV_NOT_RESERVED_MESSAGE)
    public List<EnvVar> env = new ArrayList<>();

    @JsonPropertyDescription("Where the auth pods run (node selector, tolerations, affinity, spread, "
                             + "priority) and their extra labels and annotations.")
    public PlacementSpec placement;
}
