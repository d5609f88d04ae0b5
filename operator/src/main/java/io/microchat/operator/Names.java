package io.microchat.operator;

import io.microchat.operator.api.MicroChat;

/** The names of everything the operator makes for a MicroChat; every dependent takes its name from here. */
public final class Names {

    private Names() {
    }

    public static String auth(MicroChat mc) {
        return mc.getMetadata().getName() + "-auth";
    }

    public static String chat(MicroChat mc) {
        return mc.getMetadata().getName() + "-chat";
    }

    public static String redis(MicroChat mc) {
        return mc.getMetadata().getName() + "-redis";
    }

    public static String mongodb(MicroChat mc) {
        return mc.getMetadata().getName() + "-mongodb";
    }

    /** The Secret with the managed MongoDB's root and application users' credentials. */
    public static String mongodbUsers(MicroChat mc) {
        return mc.getMetadata().getName() + "-mongodb-users";
    }

    /** The Secret with the key the replica set's members authenticate each other with. */
    public static String mongodbKeyfile(MicroChat mc) {
        return mc.getMetadata().getName() + "-mongodb-keyfile";
    }

    /**
     * A member of the managed replica set as the members, the services and the operator address it: the pod's
     * stable name under the headless Service.
     *
     * @param mc      the MicroChat
     * @param ordinal the pod's ordinal
     * @return {@code host:port}
     */
    public static String mongodbMember(MicroChat mc, int ordinal) {
        return mongodb(mc) + "-" + ordinal + "." + mongodb(mc) + "." + mc.getMetadata().getNamespace() + ".svc:"
               + DataStores.MONGODB_PORT;
    }

    /** Community-operator mode: the Secret with the application user's password, which that operator reads. */
    public static String mongodbCommunityPassword(MicroChat mc) {
        return mc.getMetadata().getName() + "-mongodb-microchat-password";
    }

    /** Community-operator mode: the Secret that operator writes with the application user's connection string. */
    public static String mongodbCommunityConnection(MicroChat mc) {
        return mc.getMetadata().getName() + "-mongodb-connection";
    }

    /** The Secret with the managed Redis's password, when the operator generates it. */
    public static String redisPassword(MicroChat mc) {
        return mc.getMetadata().getName() + "-redis-password";
    }

    public static String signingKey(MicroChat mc) {
        return mc.getMetadata().getName() + "-jwt";
    }

    public static String ingress(MicroChat mc) {
        return mc.getMetadata().getName();
    }

    public static String serviceMonitor(MicroChat mc) {
        return mc.getMetadata().getName();
    }
}
