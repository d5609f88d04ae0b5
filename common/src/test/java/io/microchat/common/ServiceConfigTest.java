package io.microchat.common;

import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ServiceConfigTest {

    @Test
    void documentedVariablesSetTheirKeys() {
        Map<String, String> env = Map.of("PORT", "9999",
                                         "MONGODB_URI", "mongodb://db.example:27017/chat",
                                         "REDIS_URL", "redis://cache.example:6379",
                                         "ALLOWED_ORIGINS", "https://chat.example.com");
        Config config = ServiceConfig.load(env::get);
        assertThat(config.get("server.port").asInt().get(), is(9999));
        assertThat(config.get("db.connection.url").asString().get(), is("mongodb://db.example:27017/chat"));
        assertThat(config.get("app.redis.url").asString().get(), is("redis://cache.example:6379"));
        assertThat(config.get("app.allowed-origins").asString().get(), is("https://chat.example.com"));
    }

    @Test
    void unsetOrBlankVariablesChangeNothing() {
        Config config = ServiceConfig.load(Map.of("PORT", " ")::get);
        assertThat(config.get("server.port").exists(), is(false));
    }
}
