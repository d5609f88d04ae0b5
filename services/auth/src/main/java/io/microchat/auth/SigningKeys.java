package io.microchat.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * The key that signs tokens, and every key the JWKS publishes: the signing key and, during a rotation, the keys
 * beside it.
 *
 * <p>With {@code app.jwt.private-key-file} (in Kubernetes: {@code private.pem} of the mounted signing-key Secret),
 * every other {@code *.pem} file in the same directory is published too: the operator's {@code next.pem} (a new key,
 * published before it signs) and {@code previous.pem} (the old key, published until every token it signed has
 * expired). Auth reads them at start; the operator rolls auth when the Secret changes.
 */
final class SigningKeys {

    private static final Logger LOGGER = Logger.getLogger(SigningKeys.class.getName());

    private final SigningKey signing;
    private final List<SigningKey> published;

    SigningKeys(SigningKey signing, List<SigningKey> others) {
        this.signing = signing;
        List<SigningKey> all = new ArrayList<>();
        all.add(signing);
        others.stream().filter(key -> !key.keyId().equals(signing.keyId())).forEach(all::add);
        this.published = List.copyOf(all);
    }

    /**
     * Loads the keys as configured.
     *
     * @param jwtConfig the {@code app.jwt} node
     * @param dataDir   where the development key is kept
     * @return the keys
     */
    static SigningKeys load(Config jwtConfig, Path dataDir) {
        SigningKey signing = SigningKey.load(jwtConfig, dataDir);
        Optional<String> file = jwtConfig.get("private-key").asString().filter(s -> !s.isBlank()).isPresent()
                ? Optional.empty()
                : jwtConfig.get("private-key-file").asString().filter(s -> !s.isBlank());
        if (file.isEmpty()) {
            return new SigningKeys(signing, List.of());
        }
        Path signingFile = Path.of(file.get());
        List<SigningKey> others = new ArrayList<>();
        Path dir = signingFile.toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path other : files.sorted().toList()) {
                String name = other.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(".pem") || other.getFileName().equals(signingFile.getFileName())
                    || !Files.isRegularFile(other)) {
                    continue;
                }
                others.add(SigningKey.fromPem(Files.readString(other)));
                LOGGER.info("JWT key published, not signing: " + other);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the JWT keys beside " + signingFile + ": " + e.getMessage(), e);
        }
        return new SigningKeys(signing, others);
    }

    /**
     * The key that signs.
     *
     * @return the key
     */
    SigningKey signing() {
        return signing;
    }

    /**
     * Every published key, the signing one first.
     *
     * @return the keys
     */
    List<SigningKey> published() {
        return published;
    }

    /**
     * The JWKS document: every published public key.
     *
     * @return {@code {"keys": [...]}}
     */
    JsonObject jwks() {
        JsonArrayBuilder keys = Json.createArrayBuilder();
        published.forEach(key -> keys.add(key.publicJwk()));
        return Json.createObjectBuilder().add("keys", keys).build();
    }

    /**
     * The public keys, to verify tokens with.
     *
     * @return a key set with every published public key
     */
    JwkKeys publicKeys() {
        return JwkKeys.create(jwks());
    }
}
