package io.microchat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import redis.clients.jedis.Jedis;

/**
 * The versions a benchmark ran with: MicroChat and the libraries it was built with (from the build), the JVM and
 * the OS, and the Redis server when the benchmark started one.
 */
final class Versions {

    private static final String BUILT_WITH = "/bench-versions.properties";

    private final Map<String, String> versions = new LinkedHashMap<>();

    Versions() {
        Properties built = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream(BUILT_WITH)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_WITH + " is missing from the benchmark's jar");
            }
            built.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : new String[] {"microchat", "helidon", "jedis", "mongo-java-server"}) {
            versions.put(name, built.getProperty(name));
        }
        versions.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /**
     * Adds the version of the Redis server on a port of 127.0.0.1, as it reports it.
     *
     * @param port the server's port
     */
    void addRedis(int port) {
        try (Jedis redis = new Jedis("127.0.0.1", port)) {
            for (String line : redis.info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    versions.put("redis", line.substring("redis_version:".length()).trim());
                }
            }
        } catch (RuntimeException e) {
            versions.put("redis", "unknown (" + e.getMessage() + ")");
        }
    }

    /**
     * The versions, in the order added.
     *
     * @return name to version
     */
    Map<String, String> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }
}
