package io.microchat.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.helidon.config.Config;
import io.microchat.common.AppVariables;
import io.microchat.common.ConfigContract;
import io.microchat.common.ConfigContract.Observed;
import io.microchat.common.ServiceConfig;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.dependent.ChatDeploymentDependentResource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The chat service's environment contract: every variable the operator sets on a chat pod (for every sample
 * MicroChat, so the samples' own variables too) and every one the README documents for chat is loaded through the
 * service's real configuration ({@link ServiceConfig#load}, then {@link ChatSettings} or the key {@link Main}
 * reads) and takes effect.
 */
class ConfigContractTest {

    private static final ConfigContract CONTRACT = new ConfigContract("chat", Map.ofEntries(
            Map.entry("PORT", new Observed("18082", c -> c.get("server.port").asInt().get(), Integer::valueOf)),
            Map.entry("HOST", new Observed("127.0.0.2", c -> c.get("server.host").asString().get(), s -> s)),
            Map.entry("MONGODB_URI", new Observed("mongodb://db.example:27017/chat",
                                                  c -> c.get("db.connection.url").asString().get(), s -> s)),
            Map.entry("REDIS_URL", new Observed("redis://cache.example:6379",
                                                c -> c.get("app.redis.url").asString().get(), s -> s)),
            Map.entry("AUTH_JWKS_URL", new Observed("http://auth.example:8081/api/auth/jwks",
                                                    c -> c.get("app.jwt.jwks-url").asString().get(), s -> s)),
            Map.entry("INSTANCE_ID", new Observed("chat-7", c -> c.get("app.instance-id").asString().get(), s -> s)),
            Map.entry("PUBLIC_AUTH_URL", new Observed("https://auth.example",
                                                      c -> c.get("app.public-auth-url").asString().get(), s -> s)),
            Map.entry("ALLOWED_ORIGINS", new Observed("https://a.example,http://a.example",
                                                      c -> settings(c).allowedOrigins(), s -> Set.of(s.split(",")))),
            Map.entry("APP_DRAIN_TIMEOUT", new Observed("PT37S", c -> settings(c).drainTimeout(), Duration::parse)),
            Map.entry("APP_LIMITS_MESSAGES_PER_SECOND",
                      new Observed("13", c -> settings(c).limits().messagesPerSecond(), Integer::valueOf)),
            Map.entry("APP_GROUPS_MAX_MEMBERS",
                      new Observed("12", c -> settings(c).groups().maxMembers(), Integer::valueOf)),
            Map.entry("APP_MESSAGES_EDIT_WINDOW",
                      new Observed("PT2M", c -> settings(c).messages().editWindow(), Duration::parse))));

    @Test
    void everyVariableTheOperatorSetsTakesEffect() throws IOException {
        Map<String, String> variables = operatorVariables();
        assertThat(variables.keySet(), hasItem("APP_DRAIN_TIMEOUT"));
        assertThat("from k8s/samples/microchat-full.yaml", variables.keySet(),
                   hasItem("APP_LIMITS_MESSAGES_PER_SECOND"));
        variables.forEach(CONTRACT::assertTakesEffect);
        assertThat(AppVariables.unknown(variables.keySet()), is(empty()));
    }

    @Test
    void everyVariableTheReadmeDocumentsForChatTakesEffect() throws IOException {
        List<String> documented = CONTRACT.readmeVariables();
        assertThat(documented, hasItem("REDIS_URL"));
        documented.forEach(name -> CONTRACT.assertTakesEffect(name, null));
    }

    @Test
    void theGroupSizeIsASettingOfItsOwn() {
        assertThat(AppVariables.unknown(List.of("APP_GROUPS_MAX_MEMBERS")), is(empty()));
        CONTRACT.assertTakesEffect("APP_GROUPS_MAX_MEMBERS", "300");
        assertThat(settings(ServiceConfig.load(Map.<String, String>of()::get)).groups().maxMembers(), is(256));
    }

    @Test
    void theEditWindowIsSetThroughTheEnvironment() {
        CONTRACT.assertTakesEffect("APP_MESSAGES_EDIT_WINDOW", "PT2M");
        assertThat(AppVariables.unknown(List.of("APP_MESSAGES_EDIT_WINDOW")), is(empty()));
        assertThat(settings(ServiceConfig.load(Map.<String, String>of()::get)).messages().editWindow(),
                   is(Duration.ofMinutes(15)));
    }

    @Test
    void aMisspeltVariableIsReportedAndSetsNothing() {
        assertThat(AppVariables.unknown(List.of("APP_LIMITS_MESAGES_PER_SECOND")), not(empty()));
        Config config = ServiceConfig.load(Map.of("APP_LIMITS_MESAGES_PER_SECOND", "1")::get);
        assertThat(settings(config).limits().messagesPerSecond(), is(20));
    }

    private static ChatSettings settings(Config config) {
        return ChatSettings.from(config.get("app"));
    }

    /** What the operator sets on the chat container of every sample. */
    private static Map<String, String> operatorVariables() throws IOException {
        return CONTRACT.operatorVariables(sample -> {
            try (InputStream in = Files.newInputStream(sample)) {
                MicroChat mc = Serialization.unmarshal(in, MicroChat.class);
                mc.getMetadata().setNamespace("chat");
                return ChatDeploymentDependentResource.environment(mc).stream()
                        .map(env -> (Map.Entry<String, String>) new AbstractMap.SimpleEntry<>(env.getName(),
                                                                                             env.getValue()))
                        .toList();
            }
        });
    }
}
