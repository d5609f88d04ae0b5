package io.microchat.chat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;
import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.EmbeddedMongo;
import io.microchat.devstack.EmbeddedRedis;
import io.microchat.devstack.FreePort;
import io.microchat.devstack.ServiceProcess;
import io.microchat.devstack.TemporaryDirectory;

/**
 * Everything a chat test needs, real and on free ports of 127.0.0.1: a Redis server, the MongoDB-protocol store
 * (file-backed, so it can be stopped and started with its data), the auth service from its packaged jar with a
 * signing key this test knows, and chat instances, in this JVM or as separate processes that can be killed.
 */
final class ChatTestStack implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();
    static final Duration WAIT = Duration.ofSeconds(10);

    final EmbeddedMongo mongo;
    final EmbeddedRedis redis;
    private final KeyPair signingKey;
    private String keyId;
    private final ServiceProcess auth;
    private final AuthClient authClient;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final TemporaryDirectory data = TemporaryDirectory.create("chat-test");

    private ChatTestStack() throws Exception {
        try {
            Path dir = data.path();
            mongo = EmbeddedMongo.persistent(dir.resolve("mongo.mv"), FreePort.find()).start();
            redis = EmbeddedRedis.onFreePort().start();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            signingKey = generator.generateKeyPair();
            int authPort = FreePort.find();
            auth = ServiceProcess.startJar("auth", Path.of(System.getProperty("microchat.auth.jar")), authPort,
                                           Map.of("HOST", "127.0.0.1",
                                                  "MONGODB_URI", mongo.uri("microchat"),
                                                  "DATA_DIR", dir.toString(),
                                                  "REDIS_URL", redis.url(),
                                                  // a rotated refresh token presented again is a reuse at once
                                                  "APP_REFRESH_GRACE", "PT0S",
                                                  "JWT_PRIVATE_KEY", pem(signingKey)),
                                           System.out);
            auth.awaitReady(Duration.ofSeconds(60)); // killed by abandon() when it never gets ready
            authClient = new AuthClient(URI.create("http://127.0.0.1:" + authPort));
            keyId = publishedKeyId();
        } catch (Exception | Error e) {
            abandon();
            throw e;
        }
    }

    private String publishedKeyId() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(jwksUrl())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(response.body()))) {
            return reader.readObject().getJsonArray("keys").getJsonObject(0).getString("kid");
        }
    }

    static ChatTestStack start() {
        try {
            return new ChatTestStack();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test stack", e);
        }
    }

    /**
     * Stops the servers started so far (all of them, or those of a constructor that failed half-way) and removes
     * the directory.
     */
    private void abandon() {
        if (auth != null) {
            auth.kill();
        }
        if (redis != null) {
            redis.stop();
        }
        if (mongo != null) {
            mongo.stop();
        }
        data.close();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + auth.port() + "/api/auth/jwks";
    }

    /** The settings a chat instance gets, as environment variables. */
    Map<String, String> chatEnvironment(String instanceId) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("INSTANCE_ID", instanceId);
        env.put("MONGODB_URI", mongo.uri("microchat"));
        env.put("REDIS_URL", redis.url());
        env.put("AUTH_JWKS_URL", jwksUrl());
        return env;
    }

    /**
     * A chat instance in this JVM.
     *
     * @param instanceId its id
     * @param overrides  configuration keys to change
     * @return the instance
     */
    ChatServer chatInProcess(String instanceId, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.instance-id", instanceId,
                "db.connection.url", mongo.uri("microchat"),
                "app.redis.url", redis.url(),
                "app.jwt.jwks-url", jwksUrl()));
        settings.putAll(overrides);
        ChatServer server = startChat(settings);
        started.add(server::stop);
        return server;
    }

    /**
     * A chat instance in this JVM with exactly these settings over {@code application.yaml}; the caller stops it.
     *
     * @param settings configuration keys
     * @return the running instance
     */
    static ChatServer startChat(Map<String, String> settings) {
        return Main.start(Config.builder()
                                  .disableEnvironmentVariablesSource()
                                  .disableSystemPropertiesSource()
                                  .sources(List.of(ConfigSources.create(settings),
                                                   ConfigSources.classpath("application.yaml")))
                                  .build());
    }

    /**
     * A chat instance as its own process (same classes as this test), ready to serve.
     *
     * @param instanceId its id
     * @param extraEnv   more environment
     * @return the process
     */
    ServiceProcess chatProcess(String instanceId, Map<String, String> extraEnv) {
        Map<String, String> env = chatEnvironment(instanceId);
        env.putAll(extraEnv);
        ServiceProcess process = ServiceProcess.startClass(instanceId, System.getProperty("java.class.path"),
                                                           Main.class.getName(), FreePort.find(), env, System.out);
        started.add(process::kill);
        return process;
    }

    /**
     * Chat instances as processes of their own, all with the same extra environment, once every one is ready.
     *
     * @param extraEnv    more environment
     * @param instanceIds their ids
     * @return the processes, in the order of the ids
     */
    List<ServiceProcess> readyChatProcesses(Map<String, String> extraEnv, String... instanceIds) {
        List<ServiceProcess> processes = Arrays.stream(instanceIds)
                .map(id -> chatProcess(id, extraEnv)).toList();
        processes.forEach(process -> process.awaitReady(Duration.ofSeconds(60)));
        return processes;
    }

    /** A new registered user, logged in. */
    AuthClient.Token newUser(String prefix) {
        String name = prefix + NAMES.incrementAndGet();
        authClient.register(name, "password-" + name);
        return authClient.login(name, "password-" + name);
    }

    AuthClient authClient() {
        return authClient;
    }

    /** The status of an instance's readiness check. */
    static int readiness(int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static URI ws(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    static ChatClient connect(int port, AuthClient.Token token, MessageLog log) {
        ChatClient client = ChatClient.connect(ws(port), token.username(), token.value(), log);
        client.awaitWelcome(WAIT);
        client.awaitReplayed(WAIT);
        return client;
    }

    static ChatClient connect(int port, AuthClient.Token token) {
        return connect(port, token, new MessageLog());
    }

    /** A token signed with the auth service's real key, with the given expiry. */
    String mintToken(String userId, String username, Instant expiresAt) {
        return mintToken(userId, username, expiresAt, null);
    }

    /** A token signed with the auth service's real key, for a session (or none), with the given expiry. */
    String mintToken(String userId, String username, Instant expiresAt, String sessionId) {
        Instant issued = expiresAt.minus(Duration.ofHours(1));
        Jwt.Builder builder = Jwt.builder().type("JWT").algorithm("RS256").keyId(keyId)
                .issuer("microchat").addAudience("microchat").subject(userId).preferredUsername(username)
                .issueTime(issued).notBefore(issued).expirationTime(expiresAt);
        if (sessionId != null) {
            builder.addPayloadClaim("sid", sessionId);
        }
        Jwt jwt = builder.build();
        return SignedJwt.sign(jwt, JwkRSA.builder().privateKey((RSAPrivateKey) signingKey.getPrivate())
                .publicKey((RSAPublicKey) signingKey.getPublic()).algorithm("RS256").keyId(keyId).build())
                .tokenContent();
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : started.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        abandon();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                       .encodeToString(pair.getPrivate().getEncoded())
               + "\n-----END PRIVATE KEY-----\n";
    }
}
