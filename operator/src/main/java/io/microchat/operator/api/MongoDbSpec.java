package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** MongoDB: run by the operator as a StatefulSet with a volume, or external. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
    public ResourceRequirements resources;

    @JsonPropertyDescription("External mode: the Secret key holding the mongodb:// URI.")
    public SecretKeyRef externalUriSecret;
}
