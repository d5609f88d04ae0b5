package io.microchat.devstack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The whole system on one machine: a MongoDB-protocol store keeping its data under the data directory, a real
 * Redis, the auth service and the chat instances as separate processes from their packaged jars, each on its own
 * port of 127.0.0.1. {@code make run} runs {@link #main}; end-to-end tests start one on free ports.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * The stand-in holds every message in its heap; with the collector's default pause goal (200 ms) its young
     * pauses grew past 100 ms and every acknowledgement waited on them (MongoDB has no such pauses). A 10 ms goal
     * keeps them short; ZGC was tried and took too much CPU on two cores.
     */
    private static final List<String> STORE_JVM = List.of("-XX:MaxGCPauseMillis=10");

    private final Settings settings;
    /** The store in this process, or null when it runs as a process of its own. */
    private final EmbeddedMongo mongo;
    private ServiceProcess storeProcess;
    private final EmbeddedRedis redis;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceProcess> chats = new ArrayList<>();
    private ServiceProcess auth;
    private Map<String, String> chatEnvironment;
    private Map<String, String> extraEnv = Map.of();

    private LocalStack(Settings settings) {
        this.settings = settings;
        if (settings.storeProcess()) {
            this.mongo = null;
        } else {
            this.mongo = settings.persistentStore()
                    ? EmbeddedMongo.persistent(storeFile(), settings.mongoPort())
                    : EmbeddedMongo.inMemory(settings.mongoPort());
        }
        this.redis = EmbeddedRedis.onPort(settings.redisPort());
    }

    /**
     * Starts everything and waits until every service is ready.
     *
     * @param settings ports and directories
     * @return the running stack
     */
    public static LocalStack start(Settings settings) {
        return start(settings, Map.of());
    }

    /**
     * Starts everything with more settings for the services (tests: short token lifetimes, other limits); each
     * service ignores the keys that are not its own.
     *
     * @param settings   ports and directories
     * @param serviceEnv more environment variables for the auth service and every chat instance, e.g.
     *                   {@code APP_JWT_LIFETIME}
     * @return the running stack
     */
    public static LocalStack start(Settings settings, Map<String, String> serviceEnv) {
        LocalStack stack = new LocalStack(settings);
        stack.extraEnv = Map.copyOf(serviceEnv);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        PrintStream out = settings.out();
        if (mongo != null) {
            mongo.start();
        } else {
            storeProcess = ServiceProcess.startClass(
                    "store", STORE_JVM, System.getProperty("java.class.path"), StoreServer.class.getName(),
                    settings.mongoPort(),
                    settings.persistentStore() ? Map.of("STORE_FILE", storeFile().toString()) : Map.of(), out)
                    .awaitListening(Duration.ofSeconds(60));
        }
        out.println("MongoDB-protocol store on 127.0.0.1:" + settings.mongoPort() + " ("
                    + (settings.persistentStore() ? "data in " + settings.data().resolve("mongo") : "in memory")
                    + (storeProcess != null ? ", own process" : "") + ")");
        redis.start();
        out.println("Redis on " + redis.url());

        String chatOrigins = settings.chatPorts().stream()
                .flatMap(port -> List.of("http://127.0.0.1:" + port, "http://localhost:" + port).stream())
                .collect(Collectors.joining(","));
        Map<String, String> common = Map.of("MONGODB_URI", EmbeddedMongo.uri(settings.mongoPort(), "microchat"),
                                            "REDIS_URL", redis.url(),
                                            "DATA_DIR", settings.data().toString(),
                                            "HOST", "127.0.0.1");
        Map<String, String> authEnv = new HashMap<>(common);
        authEnv.put("CORS_ALLOWED_ORIGINS", chatOrigins);
        authEnv.putAll(extraEnv);
        auth = ServiceProcess.startJar("auth", jar("services/auth/target/microchat-auth.jar"), settings.authPort(),
                                       authEnv, out);
        services.add(auth);
        chatEnvironment = new HashMap<>(common);
        chatEnvironment.put("AUTH_JWKS_URL", authUrl() + "/api/auth/jwks");
        chatEnvironment.put("PUBLIC_AUTH_URL", authUrl());
        chatEnvironment.putAll(extraEnv);
        for (int i = 0; i < settings.chatPorts().size(); i++) {
            ServiceProcess chat = startChatProcess(i);
            services.add(chat);
            chats.add(chat);
        }
        for (ServiceProcess service : services) {
            service.awaitReady(Duration.ofSeconds(90));
        }
    }

    private ServiceProcess startChatProcess(int index) {
        Map<String, String> env = new HashMap<>(chatEnvironment);
        env.put("INSTANCE_ID", "chat-" + (index + 1));
        return ServiceProcess.startJar("chat-" + (index + 1), jar("services/chat/target/microchat-chat.jar"),
                                       settings.chatPorts().get(index), env, settings.out());
    }

    /**
     * Stops a chat instance gracefully (as SIGTERM in Kubernetes) and starts it again on the same port.
     *
     * @param index    0-based
     * @param whileOff what to do while it is down
     */
    public void restartChat(int index, Runnable whileOff) {
        replaceChat(index, false, whileOff);
    }

    /**
     * Ends a chat instance, with SIGTERM (it drains) or SIGKILL (it leaves at once), and starts a new one on the
     * same port; returns when the new one is ready.
     *
     * @param index    0-based
     * @param forcibly SIGKILL instead of SIGTERM
     * @param whileOff what to do while it is down
     */
    public void replaceChat(int index, boolean forcibly, Runnable whileOff) {
        ServiceProcess old = chats.get(index);
        if (forcibly) {
            old.kill();
        } else {
            old.stop();
        }
        services.remove(old);
        whileOff.run();
        ServiceProcess fresh = startChatProcess(index);
        chats.set(index, fresh);
        services.add(fresh);
        fresh.awaitReady(Duration.ofSeconds(90));
    }

    /**
     * Stops Redis and starts it again on the same port, empty (as a restarted pod without persistence).
     *
     * @param down how long it stays down
     * @throws InterruptedException when interrupted while down
     */
    public void restartRedis(Duration down) throws InterruptedException {
        redis.stop();
        Thread.sleep(down.toMillis());
        redis.start();
    }

    /**
     * The auth service's base URL.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public String authUrl() {
        return "http://127.0.0.1:" + settings.authPort();
    }

    /**
     * The URL of each chat instance, where the browser app is served.
     *
     * @return the URLs
     */
    public List<String> chatUrls() {
        return settings.chatPorts().stream().map(port -> "http://127.0.0.1:" + port + "/").toList();
    }

    /**
     * The auth service's process.
     *
     * @return the process
     */
    public ServiceProcess auth() {
        return auth;
    }

    /**
     * The ports and directories of this stack.
     *
     * @return the settings
     */
    public Settings settings() {
        return settings;
    }

    /**
     * A chat instance's process.
     *
     * @param index 0-based
     * @return the process
     */
    public ServiceProcess chat(int index) {
        return chats.get(index);
    }

    @Override
    public void close() {
        services.reversed().forEach(ServiceProcess::close);
        redis.stop();
        if (mongo != null) {
            mongo.stop();
        }
        if (storeProcess != null) {
            storeProcess.close();
        }
    }

    /**
     * The store's process, when it runs as one.
     *
     * @return the process, or null when the store runs inside this process
     */
    public ServiceProcess storeProcess() {
        return storeProcess;
    }

    private Path storeFile() {
        return settings.data().resolve("mongo").resolve("microchat.mv");
    }

    private Path jar(String relative) {
        Path jar = settings.root().resolve(relative);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (make build)");
        }
        return jar;
    }

    /**
     * Starts the stack with the settings of the environment and waits for Ctrl-C.
     *
     * @param args ignored
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnvironment();
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack[] running = new LocalStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            settings.out().println("Stopping MicroChat ...");
            if (running[0] != null) {
                running[0].close();
            }
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            running[0] = start(settings);
        } catch (IllegalStateException e) {
            settings.out().println("MicroChat did not start: " + e.getMessage());
            System.exit(1);
        }
        PrintStream out = settings.out();
        out.println();
        out.println("MicroChat is running. Open the app on either chat instance (two browser windows, one each):");
        for (String url : running[0].chatUrls()) {
            out.println("  " + url);
        }
        out.println("Auth API: " + running[0].authUrl() + "/api/auth   Health and metrics: <service>/observe/health, "
                    + "<service>/observe/metrics");
        out.println("Press Ctrl-C to stop; data stays in " + settings.data());
        stopped.await();
    }

    /**
     * Ports and directories of a local stack.
     *
     * @param root      the checkout, where the jars are
     * @param data      where data is kept
     * @param mongoPort the store's port
     * @param redisPort Redis's port
     * @param authPort  the auth service's port
     * @param chatPorts one port per chat instance
     * @param out       where the services' output goes
     * @param persistentStore keep the store's data in a file (make run), or only in memory (the benchmark, where
     *                        the stand-in's file format must not be what is measured)
     * @param storeProcess    run the store as a process of its own rather than inside this one
     */
    public record Settings(Path root, Path data, int mongoPort, int redisPort, int authPort, List<Integer> chatPorts,
                           PrintStream out, boolean persistentStore, boolean storeProcess) {

        /**
         * From {@code MICROCHAT_ROOT} (.), {@code DATA_DIR} (./data), {@code MONGO_PORT} (27017), {@code REDIS_PORT}
         * (6379), {@code AUTH_PORT} (8081), {@code CHAT_PORTS} (8082,8083).
         *
         * @return the settings
         */
        public static Settings fromEnvironment() {
            Path root = Path.of(env("MICROCHAT_ROOT", ".")).toAbsolutePath().normalize();
            List<Integer> chatPorts = new ArrayList<>();
            for (String port : env("CHAT_PORTS", "8082,8083").split(",")) {
                if (!port.isBlank()) {
                    chatPorts.add(Integer.parseInt(port.trim()));
                }
            }
            return new Settings(root, Path.of(env("DATA_DIR", root.resolve("data").toString())).toAbsolutePath(),
                                Integer.parseInt(env("MONGO_PORT", "27017")),
                                Integer.parseInt(env("REDIS_PORT", "6379")),
                                Integer.parseInt(env("AUTH_PORT", "8081")),
                                chatPorts, System.out, true, false);
        }

        /**
         * Free ports for everything, for tests.
         *
         * @param root       the checkout
         * @param data       a fresh data directory
         * @param chatCount  how many chat instances
         * @param out        where output goes
         * @return the settings
         */
        public static Settings onFreePorts(Path root, Path data, int chatCount, PrintStream out) {
            List<Integer> chatPorts = new ArrayList<>();
            for (int i = 0; i < chatCount; i++) {
                chatPorts.add(FreePort.find());
            }
            return new Settings(root, data, FreePort.find(), FreePort.find(), FreePort.find(), chatPorts, out, true,
                                false);
        }

        /**
         * These settings with the store in memory.
         *
         * @return new settings
         */
        public Settings inMemoryStore() {
            return new Settings(root, data, mongoPort, redisPort, authPort, chatPorts, out, false, storeProcess);
        }

        /**
         * These settings with the store in a process of its own.
         *
         * @return new settings
         */
        public Settings storeInOwnProcess() {
            return new Settings(root, data, mongoPort, redisPort, authPort, chatPorts, out, persistentStore, true);
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
