package io.microchat.auth;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.helidon.security.jwt.jwk.JwkKeys;
import io.microchat.common.TokenVerifier;
import io.microchat.devstack.TemporaryDirectory;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Auth over a directory laid out as Kubernetes mounts the operator's signing-key Secret ({@code private.pem} plus,
 * during a rotation, {@code next.pem} or {@code previous.pem}, the files being symlinks into a {@code ..data}
 * directory): it signs with {@code private.pem} and publishes every key, so tokens of either key verify.
 */
class SigningKeysTest {

    private final TemporaryDirectory dir = TemporaryDirectory.create("signing-keys");
    private final SigningKey first = SigningKey.generate();
    private final SigningKey second = SigningKey.generate();

    @AfterEach
    void clean() {
        dir.close();
    }

    /** The layout of a Secret volume: timestamped directory, {@code ..data} link to it, a link per key. */
    private Path mountedSecret(String name, Map<String, SigningKey> keys) throws Exception {
        Path root = Files.createDirectories(dir.path().resolve(name));
        Path version = Files.createDirectories(root.resolve("..2026_03_01_00_00_00.123456789"));
        for (var entry : keys.entrySet()) {
            Files.writeString(version.resolve(entry.getKey()), entry.getValue().privateKeyPem());
        }
        Files.createSymbolicLink(root.resolve("..data"), version.getFileName());
        for (String file : keys.keySet()) {
            Files.createSymbolicLink(root.resolve(file), Path.of("..data", file));
        }
        return root;
    }

    @Test
    void duringARotationAuthPublishesBothKeysAndSignsWithPrivatePem() throws Exception {
        Path mount = mountedSecret("added", Map.of("private.pem", first, "next.pem", second));
        try (AuthTestServer server = AuthTestServer.start(Map.of("app.jwt.private-key-file",
                                                                 mount.resolve("private.pem").toString()))) {
            JsonObject jwks = server.get("/api/auth/jwks").json();
            assertThat(kids(jwks), contains(first.keyId(), second.keyId()));
            server.register("rotating", "password-123");
            String token = server.login("rotating", "password-123").json().getString("accessToken");
            assertThat(kid(token), is(first.keyId()));
            assertThat(server.get("/api/auth/me", "Bearer " + token).status(), is(200));
        }
    }

    @Test
    void afterThePromotionTokensOfTheOldKeyStillVerifyAgainstTheNewKeySet() throws Exception {
        Path added = mountedSecret("added", Map.of("private.pem", first, "next.pem", second));
        Path promoted = mountedSecret("promoted", Map.of("private.pem", second, "previous.pem", first));
        Path dropped = mountedSecret("dropped", Map.of("private.pem", second));
        String oldToken;
        try (AuthTestServer before = AuthTestServer.start(Map.of("app.jwt.private-key-file",
                                                                 added.resolve("private.pem").toString()))) {
            before.register("carol", "password-123");
            oldToken = before.login("carol", "password-123").json().getString("accessToken");
        }
        try (AuthTestServer after = AuthTestServer.start(Map.of("app.jwt.private-key-file",
                                                                promoted.resolve("private.pem").toString()))) {
            JsonObject jwks = after.get("/api/auth/jwks").json();
            assertThat(kids(jwks), contains(second.keyId(), first.keyId()));
            TokenVerifier verifier = verifier(jwks);
            assertThat(verifier.verify(oldToken).username(), is("carol"));
            after.register("dave", "password-123");
            String newToken = after.login("dave", "password-123").json().getString("accessToken");
            assertThat(kid(newToken), is(second.keyId()));
            assertThat(verifier.verify(newToken).username(), is("dave"));
        }
        SigningKeys last = SigningKeys.load(io.helidon.config.Config.just(
                io.helidon.config.ConfigSources.create(Map.of("private-key-file",
                                                              dropped.resolve("private.pem").toString()))),
                                            dir.path());
        assertThat(kids(last.jwks()), contains(second.keyId()));
        assertThrows(RuntimeException.class, () -> verifier(last.jwks()).verify(oldToken),
                     "once dropped, the old key verifies nothing (by then its tokens have expired)");
    }

    @Test
    void onlyPemFilesBesideTheSigningKeyArePublishedAndTheSameKeyOnlyOnce() throws Exception {
        Path mount = mountedSecret("mixed", Map.of("private.pem", first, "previous.pem", first));
        Files.writeString(mount.resolve("README.txt"), "not a key");
        SigningKeys keys = SigningKeys.load(io.helidon.config.Config.just(io.helidon.config.ConfigSources.create(
                Map.of("private-key-file", mount.resolve("private.pem").toString()))), dir.path());
        assertThat(kids(keys.jwks()), contains(first.keyId()));
        assertThat(keys.signing().keyId(), is(first.keyId()));
    }

    @Test
    void aPrivateKeyFromTheEnvironmentPublishesOnlyItself() {
        SigningKeys keys = SigningKeys.load(io.helidon.config.Config.just(io.helidon.config.ConfigSources.create(
                Map.of("private-key", first.privateKeyPem()))), dir.path());
        assertThat(kids(keys.jwks()), containsInAnyOrder(first.keyId()));
    }

    private static TokenVerifier verifier(JsonObject jwks) {
        return new TokenVerifier(TokenVerifier.KeySource.of(JwkKeys.create(jwks)), "RS256", "microchat",
                                 "microchat", Duration.ZERO, Clock.systemUTC());
    }

    private static List<String> kids(JsonObject jwks) {
        return jwks.getJsonArray("keys").getValuesAs(JsonObject.class).stream().map(k -> k.getString("kid")).toList();
    }

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                                   StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(header)).readObject().getString("kid");
    }
}
