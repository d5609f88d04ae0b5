package io.microchat.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Secret;

/** A Secret's values as text, whether the API server returned them in {@code data} or still in {@code stringData}. */
public final class SecretValues {

    private SecretValues() {
    }

    /**
     * The values, by key, in key order.
     *
     * @param secret the Secret
     * @return the decoded values
     */
    public static Map<String, String> of(Secret secret) {
        Map<String, String> values = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> values.put(
                    key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    /**
     * A digest of the values, to put on a pod template so that its pods roll when the Secret changes (the values
     * themselves never leave the Secret).
     *
     * @param secret the Secret
     * @return a SHA-256, hex
     */
    public static String checksum(Secret secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            of(secret).forEach((key, value) -> {
                digest.update(key.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
