package io.microchat.operator;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;

/** How the services reach MongoDB and Redis: the managed ones by Service name, external ones from a Secret. */
public final class DataStores {

    public static final int MONGODB_PORT = 27017;
    public static final int REDIS_PORT = 6379;

    private DataStores() {
    }

    public static EnvVar mongoUri(MicroChat mc) {
        var mongodb = mc.getSpec().mongodb;
        if (mongodb.mode == DataStoreMode.External) {
            return Workloads.envFromSecret("MONGODB_URI", mongodb.externalUriSecret);
        }
        return Workloads.env("MONGODB_URI", "mongodb://" + Names.mongodb(mc) + ":" + MONGODB_PORT
                                            + "/microchat?serverSelectionTimeoutMS=5000&connectTimeoutMS=5000");
    }

    public static EnvVar redisUrl(MicroChat mc) {
        var redis = mc.getSpec().redis;
        if (redis.mode == DataStoreMode.External) {
            return Workloads.envFromSecret("REDIS_URL", redis.externalUrlSecret);
        }
        return Workloads.env("REDIS_URL", "redis://" + Names.redis(mc) + ":" + REDIS_PORT);
    }
}
