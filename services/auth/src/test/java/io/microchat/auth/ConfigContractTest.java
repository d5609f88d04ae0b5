package io.microchat.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.helidon.config.Config;
import io.microchat.common.AppVariables;
import io.microchat.common.ConfigContract;
import io.microchat.common.ConfigContract.Observed;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.dependent.AuthDeploymentDependentResource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * The auth service's environment contract: every variable the operator sets on an auth pod (for every sample
 * MicroChat) and every one the README documents for auth is loaded through the service's real configuration and
 * read where {@link Main} reads it.
 */
class ConfigContractTest {

    private static final ConfigContract CONTRACT = new ConfigContract("auth", Map.ofEntries(
            Map.entry("PORT", new Observed("18081", c -> c.get("server.port").asInt().get(), Integer::valueOf)),
            Map.entry("HOST", new Observed("127.0.0.2", c -> c.get("server.host").asString().get(), s -> s)),
            Map.entry("MONGODB_URI", new Observed("mongodb://db.example:27017/chat",
                                                  c -> c.get("db.connection.url").asString().get(), s -> s)),
            Map.entry("JWT_PRIVATE_KEY", new Observed("-----BEGIN PRIVATE KEY-----",
                                                      c -> jwt(c).get("private-key").asString().get(), s -> s)),
            Map.entry("JWT_PRIVATE_KEY_FILE", new Observed("/etc/keys/key.pem",
                                                           c -> jwt(c).get("private-key-file").asString().get(),
                                                           s -> s)),
            Map.entry("DATA_DIR", new Observed("/var/lib/auth", c -> c.get("app.data-dir").asString().get(), s -> s)),
            Map.entry("CORS_ALLOWED_ORIGINS", new Observed("https://a.example,https://b.example",
                                                           c -> Main.commaSeparated(c.get("app.cors.allowed-origins")),
                                                           s -> List.of(s.split(",")))),
            Map.entry("APP_JWT_LIFETIME", new Observed("PT30M", c -> jwt(c).get("lifetime").as(Duration.class).get(),
                                                       Duration::parse)),
            Map.entry("REDIS_URL", new Observed("redis://:secret@cache.example:6379",
                                                c -> c.get("app.redis.url").asString().get(), s -> s)),
            Map.entry("APP_PROXY_HOPS", new Observed("1", c -> c.get("app.proxy.hops").asInt().get(),
                                                     Integer::valueOf)),
            Map.entry("APP_REFRESH_IDLE", new Observed("P7D", c -> refresh(c).get("idle").as(Duration.class).get(),
                                                       Duration::parse)),
            Map.entry("APP_REFRESH_LIFETIME", new Observed("P60D", c -> refresh(c).get("lifetime")
                    .as(Duration.class).get(), Duration::parse))));

    @Test
    void everyVariableTheOperatorSetsTakesEffect() throws IOException {
        Map<String, String> env = CONTRACT.operatorVariables(sample -> {
            try (InputStream in = Files.newInputStream(sample)) {
                MicroChat mc = Serialization.unmarshal(in, MicroChat.class);
                mc.getMetadata().setNamespace("chat");
                return AuthDeploymentDependentResource.environment(mc).stream()
                        .map(e -> (Map.Entry<String, String>) new AbstractMap.SimpleEntry<>(e.getName(), e.getValue()))
                        .toList();
            }
        });
        assertThat(env.keySet(), hasItem("APP_JWT_LIFETIME"));
        assertThat("auth announces ended sessions on Redis", env.keySet(), hasItem("REDIS_URL"));
        assertThat("from k8s/samples/microchat-full.yaml, which has an ingress", env.keySet(),
                   hasItem("APP_PROXY_HOPS"));
        env.forEach(CONTRACT::assertTakesEffect);
        assertThat(AppVariables.unknown(env.keySet()), is(empty()));
    }

    @Test
    void everyVariableTheReadmeDocumentsForAuthTakesEffect() throws IOException {
        List<String> documented = CONTRACT.readmeVariables();
        assertThat(documented, hasItem("JWT_PRIVATE_KEY_FILE"));
        documented.forEach(name -> CONTRACT.assertTakesEffect(name, null));
        String readme = Files.readString(ConfigContract.ROOT.resolve("README.md")).replaceAll("\\s+", " ");
        assertThat("the README's example of an APP_ variable", readme, org.hamcrest.Matchers.containsString(
                "`APP_JWT_LIFETIME=PT30M` sets `app.jwt.lifetime`"));
        CONTRACT.assertTakesEffect("APP_JWT_LIFETIME", "PT30M");
    }

    private static Config refresh(Config config) {
        return config.get("app").get("refresh");
    }

    private static Config jwt(Config config) {
        return config.get("app").get("jwt");
    }
}
