package io.microchat.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Loads a service's configuration: {@code application.yaml} on the classpath, overridden by environment
 * variables (Helidon's usual mapping, {@code SERVER_PORT} for {@code server.port}), overridden by the
 * {@code APP_*} variables of {@link AppVariables} ({@code APP_DRAIN_TIMEOUT} for {@code app.drain-timeout}),
 * overridden by the short aliases the deployment documents ({@code PORT}, {@code MONGODB_URI}, ...).
 */
public final class ServiceConfig {

    /** Environment variables with a documented meaning, and the configuration key each one sets. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("PORT", "server.port"),
            Map.entry("HOST", "server.host"),
            Map.entry("MONGODB_URI", "db.connection.url"),
            Map.entry("REDIS_URL", "app.redis.url"),
            Map.entry("INSTANCE_ID", "app.instance-id"),
            Map.entry("AUTH_JWKS_URL", "app.jwt.jwks-url"),
            Map.entry("JWT_PRIVATE_KEY_FILE", "app.jwt.private-key-file"),
            Map.entry("JWT_PRIVATE_KEY", "app.jwt.private-key"),
            Map.entry("DATA_DIR", "app.data-dir"),
            Map.entry("ALLOWED_ORIGINS", "app.allowed-origins"),
            Map.entry("CORS_ALLOWED_ORIGINS", "app.cors.allowed-origins"),
            Map.entry("PUBLIC_AUTH_URL", "app.public-auth-url"));

    private ServiceConfig() {
    }

    /**
     * Configuration from the environment of this process.
     *
     * @return the merged configuration
     */
    public static Config load() {
        return load(System::getenv);
    }

    /**
     * Configuration from the given environment, so tests can pass their own.
     *
     * @param env reads one environment variable, {@code null} when unset
     * @return the merged configuration
     */
    public static Config load(Function<String, String> env) {
        Map<String, String> aliased = new HashMap<>();
        ALIASES.forEach((variable, key) -> {
            String value = env.apply(variable);
            if (value != null && !value.isBlank()) {
                aliased.put(key, value);
            }
        });
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(List.of(ConfigSources.create(aliased),
                                 ConfigSources.create(AppVariables.settings(env)),
                                 ConfigSources.systemProperties(),
                                 ConfigSources.environmentVariables(),
                                 ConfigSources.classpath("application.yaml")))
                .build();
    }
}
