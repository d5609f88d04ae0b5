package io.microchat.chat;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.microchat.client.AuthClient;
import io.microchat.devstack.EmbeddedMongo;
import io.microchat.devstack.EmbeddedRedis;
import io.microchat.devstack.FreePort;
import io.microchat.devstack.ServiceProcess;
import io.microchat.devstack.TemporaryDirectory;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A signing-key rotation on the local stack, step by step as the operator performs it on the signing-key Secret
 * (each step restarts auth over the changed key directory, as the operator's checksum annotation rolls auth): tokens
 * issued before, during and after the rotation are accepted by every chat instance, including instances that cached
 * the key set before the rotation began and one started after it ended.
 *
 * <p>The operator publishes a new key for six minutes before it signs, longer than chat's JWKS refetch interval
 * (30 s); here the refetch interval is 2 s and the new key is published for 3 s, the same relation, scaled down.
 */
class SigningKeyRotationEndToEndTest {

    private static final Duration REFETCH = Duration.ofSeconds(2);

    private final TemporaryDirectory data = TemporaryDirectory.create("rotation-test");
    private final List<ChatServer> chats = new ArrayList<>();
    private EmbeddedMongo mongo;
    private EmbeddedRedis redis;
    private ServiceProcess auth;
    private int authPort;
    private Path keys;

    @BeforeEach
    void start() throws Exception {
        mongo = EmbeddedMongo.inMemory().start();
        redis = EmbeddedRedis.onFreePort().start();
        keys = Files.createDirectories(data.path().resolve("jwt"));
        authPort = FreePort.find();
    }

    @AfterEach
    void stop() {
        chats.forEach(ChatServer::stop);
        if (auth != null) {
            auth.kill();
        }
        redis.stop();
        mongo.stop();
        data.close();
    }

    @Test
    void tokensFromBeforeDuringAndAfterARotationAreAcceptedByEveryChatInstance() throws Exception {
        String k0 = newKey();
        String k1 = newKey();
        // the Secret as created
        writeKeys(Map.of("private.pem", k0));
        restartAuth();
        AuthClient.Token before = user("before");
        ChatServer a = chat("rotation-a");
        ChatServer b = chat("rotation-b");
        assertAccepted(before, a, b); // both instances now cache the key set {k0}

        // 1. a new key, published, not signing
        writeKeys(Map.of("private.pem", k0, "next.pem", k1));
        restartAuth();
        AuthClient.Token published = user("published");
        assertThat("the old key still signs", kid(published), is(kid(before)));
        assertAccepted(published, a, b);
        Thread.sleep(REFETCH.plusSeconds(1).toMillis()); // 2. published everywhere, for longer than a refetch interval

        // 3. the new key signs; the old one stays published
        writeKeys(Map.of("private.pem", k1, "previous.pem", k0));
        restartAuth();
        AuthClient.Token promoted = user("promoted");
        assertThat("the new key signs", kid(promoted), not(kid(before)));
        assertAccepted(promoted, a, b); // an unknown key id to both instances: they refetch the key set
        assertAccepted(before, a, b);
        assertAccepted(published, a, b);

        // 5. the old key is dropped (in a cluster: once every token it signed has expired)
        writeKeys(Map.of("private.pem", k1));
        restartAuth();
        AuthClient.Token after = user("after");
        ChatServer late = chat("rotation-late");
        assertAccepted(after, a, b, late);
        assertAccepted(promoted, a, b, late);
    }

    /** Each instance welcomes a connection with the token (a refused token fails the wait for the welcome). */
    private void assertAccepted(AuthClient.Token token, ChatServer... instances) {
        for (ChatServer instance : instances) {
            ChatTestStack.connect(instance.port(), token).close();
        }
    }

    private AuthClient.Token user(String prefix) {
        AuthClient client = new AuthClient(URI.create("http://127.0.0.1:" + authPort));
        String name = prefix + System.nanoTime() % 100_000;
        client.register(name, "password-" + name);
        return client.login(name, "password-" + name);
    }

    private ChatServer chat(String instanceId) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.instance-id", instanceId,
                "db.connection.url", mongo.uri("microchat"),
                "app.redis.url", redis.url(),
                "app.jwt.jwks-url", "http://127.0.0.1:" + authPort + "/api/auth/jwks",
                "app.jwt.jwks-refetch-interval", REFETCH.toString()));
        ChatServer server = ChatTestStack.startChat(settings);
        chats.add(server);
        return server;
    }

    /** What the kubelet shows auth of the Secret: exactly its keys, nothing else. */
    private void writeKeys(Map<String, String> files) throws Exception {
        try (var existing = Files.list(keys)) {
            for (Path file : existing.toList()) {
                Files.delete(file);
            }
        }
        for (var entry : files.entrySet()) {
            Files.writeString(keys.resolve(entry.getKey()), entry.getValue());
        }
    }

    private void restartAuth() {
        if (auth != null) {
            auth.stop();
        }
        auth = ServiceProcess.startJar("auth", Path.of(System.getProperty("microchat.auth.jar")), authPort,
                                       Map.of("HOST", "127.0.0.1",
                                              "MONGODB_URI", mongo.uri("microchat"),
                                              "DATA_DIR", data.path().toString(),
                                              "JWT_PRIVATE_KEY_FILE", keys.resolve("private.pem").toString()),
                                       System.out).awaitReady(Duration.ofSeconds(60));
    }

    private static String newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return "-----BEGIN PRIVATE KEY-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                       .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
               + "\n-----END PRIVATE KEY-----\n";
    }

    private static String kid(AuthClient.Token token) {
        String header = new String(Base64.getUrlDecoder().decode(token.value().substring(0, token.value().indexOf('.'))),
                                   StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(header)).readObject().getString("kid");
    }
}
