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
