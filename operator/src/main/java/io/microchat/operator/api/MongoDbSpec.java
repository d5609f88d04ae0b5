package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** MongoDB: run by the operator as a StatefulSet with a volume, or external. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'External' || has(self.externalUriSecret)",
                message = "spec.mongodb.externalUriSecret is required when spec.mongodb.mode is External")
public class MongoDbSpec {

    @JsonPropertyDescription("Managed: the operator runs MongoDB. External: the URI comes from externalUriSecret.")
    @Default("Managed")
    public DataStoreMode mode = DataStoreMode.Managed;

    @JsonPropertyDescription("Image of the managed MongoDB.")
    @Default("mongo:7.0")
    public String image = "mongo:7.0";

    @JsonPropertyDescription("Size of the managed MongoDB's volume.")
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?$")
    @Default("10Gi")
    public String storageSize = "10Gi";

    @JsonPropertyDescription("Storage class of the managed MongoDB's volume; the cluster default when absent.")
    public String storageClassName;

    @JsonPropertyDescription("Resources of the managed MongoDB.")
    @ValidationRule(value = Rules.QUANTITIES, message = Rules.QUANTITIES_MESSAGE)
    @ValidationRule(value = Rules.REQUESTS_WITHIN_LIMITS, message = Rules.REQUESTS_WITHIN_LIMITS_MESSAGE)
    public ResourceRequirements resources;

    @JsonPropertyDescription("External mode: the Secret key holding the mongodb:// URI.")
    public SecretKeyRef externalUriSecret;

    @JsonPropertyDescription("Where the managed MongoDB pods run (node selector, tolerations, affinity, spread, "
                             + "priority) and their extra labels and annotations.")
    public PlacementSpec placement;
}
