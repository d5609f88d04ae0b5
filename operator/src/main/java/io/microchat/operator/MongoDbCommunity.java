package io.microchat.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MongoDbSpec;
import io.microchat.operator.dependent.MongoDbCommunityPasswordSecretDependentResource;
import io.microchat.operator.dependent.MongoDbUsersSecretDependentResource;

/**
 * Mode {@code CommunityOperator}: MongoDB asked of the MongoDB community operator with a {@code MongoDBCommunity}
 * resource (a SCRAM-authenticated replica set of {@code mongodb.members}, the application user {@code microchat}
 * with {@code readWrite} on {@code microchat} only, its password from a Secret this operator generates). That operator
 * writes the user's connection string into the Secret named in {@code connectionStringSecretName}, which the services
 * read.
 *
 * <p>Its dependent ({@code MongoDbCommunityDependentResource}) is active only where the kind exists (where that
 * operator is installed); the reconciler reports when the mode asks for it and the kind is missing, and waits for the
 * replica set to run. It is never deleted by this operator (only with the MicroChat, through its owner reference),
 * since it holds the data.
 */
public final class MongoDbCommunity {

    public static final String GROUP = "mongodbcommunity.mongodb.com";
    public static final String VERSION = "v1";
    public static final String KIND = "MongoDBCommunity";
    public static final String PLURAL = "mongodbcommunity";
    static final String API_VERSION = GROUP + "/" + VERSION;
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND)
            .withPlural(PLURAL).withNamespaced(true).build();
    /** The key of the connection-string Secret the services read. */
    public static final String CONNECTION_STRING_KEY = "connectionString.standard";
    /** The phase the community operator reports once the replica set runs. */
    static final String RUNNING = "Running";
    private static final Pattern IMAGE_VERSION = Pattern.compile(":([0-9]+\\.[0-9]+\\.[0-9]+)$");
    private static final Logger LOGGER = Logger.getLogger(MongoDbCommunity.class.getName());

    private MongoDbCommunity() {
    }

    /**
     * A MongoDBCommunity, its body kept as generic properties. A class of its own, so that the dependent's informer
     * knows the kind's (irregular) plural without asking the cluster (which, without the kind, could not answer).
     */
    @Group(GROUP)
    @Version(VERSION)
    @Kind(KIND)
    @Plural(PLURAL)
    public static final class MongoDBCommunity extends GenericKubernetesResource implements Namespaced {
    }

    /**
     * The MongoDB version asked for: the version the image is tagged with.
     *
     * @param spec the MongoDB spec
     * @return {@code 7.0.14}, or null when the image has no such tag
     */
    static String version(MongoDbSpec spec) {
        Matcher matcher = IMAGE_VERSION.matcher(spec.image == null ? "" : spec.image);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The {@code MongoDBCommunity} of a MicroChat.
     *
     * @param mc the MicroChat
     * @return the object
     */
    public static MongoDBCommunity desired(MicroChat mc) {
        var spec = mc.getSpec().mongodb;
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("resources", Map.of("requests", Map.of("storage", spec.storageSize)));
        if (spec.storageClassName != null) {
            claim.put("storageClassName", spec.storageClassName);
        }
        String db = MongoDbUsersSecretDependentResource.DATABASE;
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", MongoDbUsersSecretDependentResource.APP_USER);
        user.put("db", db);
        user.put("passwordSecretRef", Map.of("name", Names.mongodbCommunityPassword(mc),
                                             "key", MongoDbCommunityPasswordSecretDependentResource.KEY));
        user.put("roles", List.of(Map.of("name", ReplicaSets.APP_ROLE, "db", db)));
        user.put("scramCredentialsSecretName", Names.mongodb(mc) + "-microchat");
        user.put("connectionStringSecretName", Names.mongodbCommunityConnection(mc));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members", spec.members);
        body.put("type", "ReplicaSet");
        body.put("version", version(spec));
        body.put("security", Map.of("authentication", Map.of("modes", List.of("SCRAM"))));
        body.put("users", List.of(user));
        body.put("statefulSet", Map.of("spec", Map.of("volumeClaimTemplates", List.of(
                Map.of("metadata", Map.of("name", "data-volume"), "spec", claim)))));
        MongoDBCommunity resource = new MongoDBCommunity();
        resource.setApiVersion(API_VERSION);
        resource.setKind(KIND);
        resource.setMetadata(Labels.metadata(mc, Names.mongodb(mc), "mongodb"));
        resource.setAdditionalProperty("spec", body);
        return resource;
    }

    /**
     * Whether the cluster has the MongoDBCommunity kind.
     *
     * @param client the client
     * @return true when it does
     */
    public static boolean kindExists(KubernetesClient client) {
        return client.supports(API_VERSION, KIND);
    }

    /**
     * What keeps the database the mode asks of the community operator from running.
     *
     * @param mc      the MicroChat
     * @param client  the client
     * @param current the MongoDBCommunity as its dependent's informer last saw it (asked only where the kind exists)
     * @return a problem in words (the kind is missing, or the database is not running yet), or null
     */
    static String waitingFor(MicroChat mc, KubernetesClient client,
                             Supplier<Optional<MongoDBCommunity>> current) {
        if (mc.getSpec().mongodb.mode != DataStoreMode.CommunityOperator) {
            return null;
        }
        if (!kindExists(client)) {
            return "spec.mongodb.mode is CommunityOperator, but this cluster has no MongoDBCommunity kind (install "
                   + "the MongoDB community operator).";
        }
        String phase = phase(current.get().orElse(null));
        if (RUNNING.equals(phase)) {
            return null;
        }
        LOGGER.fine(() -> mc.getMetadata().getName() + ": MongoDBCommunity phase " + phase);
        return "Waiting for MongoDBCommunity " + Names.mongodb(mc) + " to run (phase " + phase + ").";
    }

    private static String phase(GenericKubernetesResource resource) {
        Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map && map.get("phase") != null ? map.get("phase").toString() : "none";
    }
}
