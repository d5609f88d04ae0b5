package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * MongoDB: run by the operator as a replica set (a StatefulSet with a volume per member, keyfile authentication
 * between members, SCRAM users), or external.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'External' || has(self.externalUriSecret)",
                message = "spec.mongodb.externalUriSecret is required when spec.mongodb.mode is External")
public class MongoDbSpec {

    public static final String DEFAULT_IMAGE = "mongo:7.0.14";

    @JsonPropertyDescription("Managed: the operator runs a replica set. External: the URI comes from "
                             + "externalUriSecret. CommunityOperator: a MongoDBCommunity resource asks the MongoDB "
                             + "community operator for it (members, image version, storage apply).")
    @Default("Managed")
    public DataStoreMode mode = DataStoreMode.Managed;

    @JsonPropertyDescription("Image of the managed MongoDB, pinned to a patch release (the official image: its "
                             + "entrypoint creates the root user, and it has mongosh for the probes).")
    @Default(MongoDbSpec.DEFAULT_IMAGE)
    public String image = DEFAULT_IMAGE;

    @JsonPropertyDescription("Members of the managed replica set: 3 by default (survives losing one); 1 is allowed "
                             + "for development, without failover (the status says so); at most 7 (all voting).")
    @Min(1)
    @Max(7)
    @Default("3")
    public int members = 3;

    @JsonPropertyDescription("Name of the managed replica set.")
    @Pattern("^[A-Za-z0-9][-_A-Za-z0-9]{0,63}$")
    @Default("rs0")
    public String replicaSetName = "rs0";

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

    @JsonPropertyDescription("External mode: the Secret key holding the mongodb:// or mongodb+srv:// URI, with its "
                             + "credentials, replicaSet and tls options; add w=majority&journal=true for the auth "
                             + "service (chat sets them in code).")
    public SecretKeyRef externalUriSecret;

    @JsonPropertyDescription("Where the managed MongoDB pods run (node selector, tolerations, affinity, spread, "
                             + "priority) and their extra labels and annotations.")
    public PlacementSpec placement;
}
