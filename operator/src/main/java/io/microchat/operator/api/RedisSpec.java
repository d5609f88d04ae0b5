package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Redis: run by the operator, or external. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisSpec {

    @JsonPropertyDescription("Managed: the operator runs Redis. External: the URL comes from externalUrlSecret.")
    @Default("Managed")
    public DataStoreMode mode = DataStoreMode.Managed;

    @JsonPropertyDescription("Image of the managed Redis.")
    @Default("redis:7.2-alpine")
    public String image = "redis:7.2-alpine";

    @JsonPropertyDescription("Resources of the managed Redis.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("External mode: the Secret key holding the redis:// or rediss:// URL.")
    public SecretKeyRef externalUrlSecret;
}
