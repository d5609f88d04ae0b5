package io.microchat.chat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.microchat.common.TokenVerifier;
import jakarta.json.Json;
import jakarta.json.JsonReader;

/**
 * The auth service's public keys, fetched from its JWKS endpoint once and cached; fetched again when a token
 * names a key id not in the cache (a rotated key), at most once per {@code minRefetchInterval} so that tokens
 * with made-up key ids cannot make this instance hammer the auth service.
 *
 * <p>A key id it cannot find while the key set cannot be fetched (never fetched yet, or the last fetch failed) is
 * not evidence of a bad token: {@link #key} then throws {@link KeysUnavailableException}, which clients are told
 * to retry. Readiness ({@link #isLoaded}) stays down until the key set was fetched once.
 */
final class JwksKeySource implements TokenVerifier.KeySource {

    private static final Logger LOGGER = Logger.getLogger(JwksKeySource.class.getName());

    private final URI url;
    private final Duration minRefetchInterval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile JwkKeys keys;
    private long lastFetchNanos;
    private boolean fetchedOnce;
    private volatile boolean lastFetchFailed;

    JwksKeySource(URI url, Duration minRefetchInterval) {
        this.url = url;
        this.minRefetchInterval = minRefetchInterval;
    }

    @Override
    public Optional<Jwk> key(String keyId) {
        JwkKeys current = keys;
        if (current != null) {
            Optional<Jwk> found = current.forKeyId(keyId);
            if (found.isPresent()) {
                return found;
            }
        }
        Optional<Jwk> refetched = refetch().flatMap(k -> k.forKeyId(keyId));
        if (refetched.isEmpty() && (keys == null || lastFetchFailed)) {
            throw new KeysUnavailableException(keys == null ? "the signing keys are not loaded yet"
                                                            : "the signing keys cannot be refreshed");
        }
        return refetched;
    }

    /**
     * Whether the key set was fetched; tries (at most once a second) while it was not.
     *
     * @return true once keys are known
     */
    boolean isLoaded() {
        return keys != null || refetch().isPresent();
    }

    private synchronized Optional<JwkKeys> refetch() {
        long now = System.nanoTime();
        long interval = keys == null ? Math.min(1_000_000_000L, minRefetchInterval.toNanos()) : minRefetchInterval.toNanos();
        if (fetchedOnce && now - lastFetchNanos < interval) {
            return Optional.ofNullable(keys);
        }
        fetchedOnce = true;
        lastFetchNanos = now;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET()
                                                              .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOGGER.warning("JWKS fetch from " + url + " answered " + response.statusCode());
                lastFetchFailed = true;
                return Optional.ofNullable(keys);
            }
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                keys = JwkKeys.create(reader.readObject());
            }
            lastFetchFailed = false;
            LOGGER.info("JWKS fetched from " + url + ": " + keys.keys().size() + " key(s)");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOGGER.warning("JWKS fetch from " + url + " failed: " + e);
            lastFetchFailed = true;
        }
        return Optional.ofNullable(keys);
    }
}
