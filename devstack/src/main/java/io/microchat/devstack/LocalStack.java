package io.microchat.devstack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: the whole system on one machine. A MongoDB-protocol store keeping its data under the data
 * directory, a real Redis, the auth service and the chat instances as separate processes, each on its own port.
 * Ctrl-C stops everything; data survives to the next run.
 *
 * <p>Settings (environment): {@code MICROCHAT_ROOT} (the checkout, default {@code .}), {@code DATA_DIR}
 * ({@code ./data}), {@code MONGO_PORT} (27017), {@code REDIS_PORT} (6379), {@code AUTH_PORT} (8081),
 * {@code CHAT_PORTS} (8082,8083).
 */
public final class LocalStack {

    private LocalStack() {
    }

    /**
     * Starts the stack and waits for Ctrl-C.
     *
     * @param args ignored
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        Path root = Path.of(env("MICROCHAT_ROOT", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env("DATA_DIR", root.resolve("data").toString())).toAbsolutePath();
        int mongoPort = Integer.parseInt(env("MONGO_PORT", "27017"));
        int redisPort = Integer.parseInt(env("REDIS_PORT", "6379"));
        int authPort = Integer.parseInt(env("AUTH_PORT", "8081"));
        List<Integer> chatPorts = parsePorts(env("CHAT_PORTS", "8082,8083"));

        EmbeddedMongo mongo = EmbeddedMongo.persistent(data.resolve("mongo").resolve("microchat.mv"), mongoPort);
        EmbeddedRedis redis = EmbeddedRedis.onPort(redisPort);
        List<ServiceProcess> services = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping MicroChat ...");
            services.reversed().forEach(ServiceProcess::close);
            redis.stop();
            mongo.stop();
            stopped.countDown();
        }, "local-stack-stop"));

        mongo.start();
        out.println("MongoDB-protocol store on 127.0.0.1:" + mongoPort + " (data in " + data.resolve("mongo") + ")");
        redis.start();
        out.println("Redis on 127.0.0.1:" + redisPort);

        String mongoUri = mongo.uri("microchat");
        String authUrl = "http://127.0.0.1:" + authPort;
        Map<String, String> common = Map.of("MONGODB_URI", mongoUri,
                                            "REDIS_URL", redis.url(),
                                            "DATA_DIR", data.toString(),
                                            "HOST", "127.0.0.1");
        services.add(ServiceProcess.startJar("auth", jar(root, "services/auth/target/microchat-auth.jar"),
                                             authPort, common, out));
        Path chatJar = root.resolve("services/chat/target/microchat-chat.jar");
        if (Files.exists(chatJar)) {
            for (int i = 0; i < chatPorts.size(); i++) {
                Map<String, String> env = new java.util.HashMap<>(common);
                env.put("INSTANCE_ID", "chat-" + (i + 1));
                env.put("AUTH_JWKS_URL", authUrl + "/api/auth/jwks");
                env.put("AUTH_URL", authUrl);
                services.add(ServiceProcess.startJar("chat-" + (i + 1), chatJar, chatPorts.get(i), env, out));
            }
        }
        try {
            for (ServiceProcess service : services) {
                service.awaitReady(Duration.ofSeconds(90));
            }
        } catch (IllegalStateException e) {
            out.println("MicroChat did not start: " + e.getMessage());
            System.exit(1);
        }

        out.println();
        out.println("MicroChat is running. Open:");
        out.println("  auth API        " + authUrl + "/api/auth   (JWKS: " + authUrl + "/api/auth/jwks)");
        for (ServiceProcess service : services) {
            if (service.name().startsWith("chat")) {
                out.println("  " + service.name() + "          http://127.0.0.1:" + service.port() + "/");
            }
        }
        out.println("  health, metrics  <any service>/observe/health, <any service>/observe/metrics");
        out.println("Press Ctrl-C to stop; data stays in " + data);
        stopped.await();
    }

    private static Path jar(Path root, String relative) {
        Path jar = root.resolve(relative);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (make build)");
        }
        return jar;
    }

    private static List<Integer> parsePorts(String ports) {
        List<Integer> result = new ArrayList<>();
        for (String port : ports.split(",")) {
            if (!port.isBlank()) {
                result.add(Integer.parseInt(port.trim()));
            }
        }
        return result;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
