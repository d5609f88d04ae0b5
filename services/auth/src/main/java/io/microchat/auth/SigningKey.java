package io.microchat.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The RSA key pair that signs access tokens (RS256), and its public half as a JWK.
 *
 * <p>Where the private key comes from, first match wins: {@code app.jwt.private-key} (PKCS#8 PEM text, e.g. from
 * a Kubernetes Secret through {@code JWT_PRIVATE_KEY}), {@code app.jwt.private-key-file} (a PEM file, e.g. a
 * mounted Secret), else the development default: a key generated once and kept in
 * {@code <app.data-dir>/jwt-signing-key.pem}. The key id is derived from the public key, so it changes exactly
 * when the key does.
 */
final class SigningKey {

    static final String ALGORITHM = JwkRSA.ALG_RS256;
    private static final Logger LOGGER = Logger.getLogger(SigningKey.class.getName());
    private static final String DEV_KEY_FILE = "jwt-signing-key.pem";
    private static final int KEY_BITS = 2048;

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;
    private final JwkRSA jwk;

    private SigningKey(RSAPrivateCrtKey privateKey) throws GeneralSecurityException {
        this.privateKey = privateKey;
        this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        this.keyId = thumbprint(publicKey);
        this.jwk = JwkRSA.builder()
                .privateKey(privateKey)
                .publicKey(publicKey)
                .algorithm(ALGORITHM)
                .keyId(keyId)
                .usage("sig")
                .build();
    }

    /**
     * Loads the key as configured.
     *
     * @param jwtConfig the {@code app.jwt} node
     * @param dataDir   where the development key is kept
     * @return the key
     */
    static SigningKey load(Config jwtConfig, Path dataDir) {
        try {
            Optional<String> pem = jwtConfig.get("private-key").asString().filter(s -> !s.isBlank());
            if (pem.isPresent()) {
                LOGGER.info("JWT signing key from configuration (app.jwt.private-key)");
                return fromPem(pem.get());
            }
            Optional<String> file = jwtConfig.get("private-key-file").asString().filter(s -> !s.isBlank());
            if (file.isPresent()) {
                LOGGER.info("JWT signing key from file " + file.get());
                return fromPem(Files.readString(Path.of(file.get())));
            }
            return developmentKey(dataDir.resolve(DEV_KEY_FILE));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the JWT signing key: " + e.getMessage(), e);
        }
    }

    /**
     * A key from PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @param pem the text
     * @return the key
     * @throws GeneralSecurityException when it is not an RSA private key
     */
    static SigningKey fromPem(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (base64.isEmpty()) {
            throw new GeneralSecurityException("no PKCS#8 'PRIVATE KEY' block found");
        }
        byte[] der = Base64.getDecoder().decode(base64);
        var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new GeneralSecurityException("the private key must be an RSA key in PKCS#8 form");
        }
        return new SigningKey(crt);
    }

    /**
     * A fresh key, for tests and the development default.
     *
     * @return a new key
     */
    static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey((RSAPrivateCrtKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey developmentKey(Path file) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            LOGGER.info("JWT signing key: development key " + file);
            return fromPem(Files.readString(file));
        }
        SigningKey key = generate();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), DEV_KEY_FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the file keeps the default permissions
        }
        Files.writeString(tmp, key.privateKeyPem(), StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        LOGGER.info("JWT signing key: generated a development key in " + file
                    + " (set JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE in production)");
        return key;
    }

    String privateKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(privateKey.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    String keyId() {
        return keyId;
    }

    JwkRSA jwk() {
        return jwk;
    }

    /**
     * The public key as a JWK (RFC 7517/7518).
     *
     * @return the JSON object
     */
    JsonObject publicJwk() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return Json.createObjectBuilder()
                .add("kty", "RSA")
                .add("use", "sig")
                .add("alg", ALGORITHM)
                .add("kid", keyId)
                .add("n", b64.encodeToString(unsigned(publicKey.getModulus())))
                .add("e", b64.encodeToString(unsigned(publicKey.getPublicExponent())))
                .build();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
    }
}
