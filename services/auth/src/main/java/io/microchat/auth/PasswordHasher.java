package io.microchat.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes, salted, deliberately slow, compared in constant time.
 *
 * <p>Encoded as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64), so the iteration count can be raised
 * later without invalidating stored hashes. Hashing is CPU-bound; at most one hash per core runs at once, so a
 * burst of logins queues instead of starving every other request.
 */
final class PasswordHasher {

    /** The OWASP 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int MIN_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore cores = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    private final String dummyHash;

    /**
     * A hasher.
     *
     * @param iterations the iteration count for new hashes, at least {@link #MIN_ITERATIONS}
     */
    PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("app.password.iterations must be at least " + MIN_ITERATIONS);
        }
        this.iterations = iterations;
        this.dummyHash = hash("not-a-real-password");
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Whether a password matches an encoded hash, in time independent of where they differ.
     *
     * @param password the password given
     * @param encoded  the stored hash
     * @return true when they match
     */
    boolean matches(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salt = b64.decode(parts[2]);
        byte[] expected = b64.decode(parts[3]);
        byte[] actual = derive(password, salt, Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Spends the same work as {@link #matches} for a user that does not exist, so that the response time does
     * not tell whether a username is registered.
     *
     * @param password the password given
     */
    void matchNothing(String password) {
        matches(password, dummyHash);
    }

    private byte[] derive(String password, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, HASH_BITS);
        cores.acquireUninterruptibly();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            cores.release();
            spec.clearPassword();
        }
    }
}
