package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Redis: run by the operator, or external. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'External' || has(self.externalUrlSecret)",
                message = "spec.redis.externalUrlSecret is required when spec.redis.mode is External")
public class RedisSpec {

    @JsonPropertyDescription("Managed: the operator runs Redis. External: the URL comes from externalUrlSecret.")
    @Default("Managed")
    public DataStoreMode mode = DataStoreMode.Managed;

    @JsonPropertyDescription("Image of the managed Redis.")
    @Default("redis:7.2-alpine")
    public String image = "redis:7.2-alpine";

    @JsonPropertyDescription("Resources of the managed Redis.")
    @ValidationRule(value = Rules.QUANTITIES, message = Rules.QUANTITIES_MESSAGE)
    @ValidationRule(value = Rules.REQUESTS_WITHIN_LIMITS, message = Rules.REQUESTS_WITHIN_LIMITS_MESSAGE)
    public ResourceRequirements resources;

    @JsonPropertyDescription("External mode: the Secret key holding the redis:// or rediss:// URL.")
    public SecretKeyRef externalUrlSecret;

    @JsonPropertyDescription("Where the managed Redis pods run (node selector, tolerations, affinity, spread, "
                             + "priority) and their extra labels and annotations.")
    public PlacementSpec placement;
}
