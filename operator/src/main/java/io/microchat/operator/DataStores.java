package io.microchat.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.SecretKeyRef;
import io.microchat.operator.dependent.MongoDbUsersSecretDependentResource;
import io.microchat.operator.dependent.RedisPasswordSecretDependentResource;

/**
 * How the services reach MongoDB and Redis: the managed ones by their pods' names with credentials from the
 * operator's Secrets, external ones from a Secret of the user's. Passwords reach the containers only through
 * {@code secretKeyRef}s: the URLs refer to them as {@code $(VAR)}, which the kubelet expands, so no password is in
 * a Deployment, in the operator's log or in an event.
 */
public final class DataStores {

    public static final int MONGODB_PORT = 27017;
    public static final int REDIS_PORT = 6379;
    /** What the managed URI asks of every write and read, for clients that do not set it in code (auth). */
    static final String DURABILITY = "w=majority&journal=true&retryWrites=true&readConcernLevel=majority";

    private DataStores() {
    }

    /**
     * The services' MongoDB settings: {@code MONGODB_URI}, and before it the password it refers to.
     *
     * @param mc the MicroChat
     * @return the environment variables, in order
     */
    public static List<EnvVar> mongoEnv(MicroChat mc) {
        var mongodb = mc.getSpec().mongodb;
        if (mongodb.mode == DataStoreMode.External) {
            return List.of(Workloads.envFromSecret("MONGODB_URI", mongodb.externalUriSecret));
        }
        if (mongodb.mode == DataStoreMode.CommunityOperator) {
            // mongodb://microchat:<password>@<members>/microchat?replicaSet=...&ssl=false, as that operator writes it
            return List.of(Workloads.envFromSecret("MONGODB_OPERATOR_URI",
                                                   new SecretKeyRef(Names.mongodbCommunityConnection(mc),
                                                                    MongoDbCommunity.CONNECTION_STRING_KEY)),
                           Workloads.env("MONGODB_URI", "$(MONGODB_OPERATOR_URI)&" + DURABILITY));
        }
        String hosts = IntStream.range(0, mongodb.members).mapToObj(i -> Names.mongodbMember(mc, i))
                .collect(Collectors.joining(","));
        return List.of(Workloads.envFromSecret("MONGODB_PASSWORD",
                                               new SecretKeyRef(Names.mongodbUsers(mc),
                                                                MongoDbUsersSecretDependentResource.APP_PASSWORD)),
                       Workloads.env("MONGODB_URI", "mongodb://" + MongoDbUsersSecretDependentResource.APP_USER
                                                    + ":$(MONGODB_PASSWORD)@" + hosts + "/"
                                                    + MongoDbUsersSecretDependentResource.DATABASE
                                                    + "?replicaSet=" + mongodb.replicaSetName + "&" + DURABILITY
                                                    + "&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000"));
    }

    /**
     * The services' Redis settings: {@code REDIS_URL}, and before it the password it refers to.
     *
     * @param mc the MicroChat
     * @return the environment variables, in order
     */
    public static List<EnvVar> redisEnv(MicroChat mc) {
        var redis = mc.getSpec().redis;
        if (redis.mode == DataStoreMode.External) {
            return List.of(Workloads.envFromSecret("REDIS_URL", redis.externalUrlSecret));
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(Workloads.envFromSecret("REDIS_PASSWORD", redisPassword(mc)));
        env.add(Workloads.env("REDIS_URL", "redis://:$(REDIS_PASSWORD)@" + Names.redis(mc) + ":" + REDIS_PORT));
        return env;
    }

    /**
     * Where the managed Redis's password is: the user's Secret, else the one the operator generates.
     *
     * @param mc the MicroChat
     * @return the Secret key
     */
    public static SecretKeyRef redisPassword(MicroChat mc) {
        var redis = mc.getSpec().redis;
        return redis.passwordSecret != null ? redis.passwordSecret
                : new SecretKeyRef(Names.redisPassword(mc), RedisPasswordSecretDependentResource.KEY);
    }
}
