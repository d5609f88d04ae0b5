package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Redis: run by the operator (with a password, protected mode and a memory ceiling), or external. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'External' || has(self.externalUrlSecret)",
                message = "spec.redis.externalUrlSecret is required when spec.redis.mode is External")
public class RedisSpec {

    @JsonPropertyDescription("Managed: the operator runs Redis. External: the URL comes from externalUrlSecret.")
    @Default("Managed")
    public DataStoreMode mode = DataStoreMode.Managed;

    public static final String DEFAULT_IMAGE = "redis:7.2.5-alpine";

    @JsonPropertyDescription("Image of the managed Redis, pinned to a patch release.")
    @Default(RedisSpec.DEFAULT_IMAGE)
    public String image = DEFAULT_IMAGE;

    @JsonPropertyDescription("Managed mode: the Secret key holding Redis's password (letters, digits, '-', '_' and "
                             + "'.', since it goes into the services' URL); absent: the operator generates one.")
    public SecretKeyRef passwordSecret;

    @JsonPropertyDescription("Managed mode: Redis's maxmemory; with policy noeviction a full Redis refuses writes "
                             + "instead of evicting presence. Keep it below the memory limit.")
    @Pattern("^[0-9]+(kb|mb|gb)$")
    @Default("192mb")
    public String maxMemory = "192mb";

    @JsonPropertyDescription("Resources of the managed Redis.")
    @ValidationRule(value = Rules.QUANTITIES, message = Rules.QUANTITIES_MESSAGE)
    @ValidationRule(value = Rules.REQUESTS_WITHIN_LIMITS, message = Rules.REQUESTS_WITHIN_LIMITS_MESSAGE)
    public ResourceRequirements resources;

    @JsonPropertyDescription("External mode: the Secret key holding the redis:// or rediss:// (TLS) URL, with "
                             + "its password: rediss://:password@host:6380.")
    public SecretKeyRef externalUrlSecret;

    @JsonPropertyDescription("Where the managed Redis pods run (node selector, tolerations, affinity, spread, "
                             + "priority) and their extra labels and annotations.")
    public PlacementSpec placement;
}
