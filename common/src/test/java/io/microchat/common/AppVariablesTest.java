package io.microchat.common;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

class AppVariablesTest {

    @Test
    void aVariableSetsTheKeyWithDashes() {
        Config config = ServiceConfig.load(Map.of("APP_DRAIN_TIMEOUT", "PT25S",
                                                  "APP_LIMITS_MESSAGES_PER_SECOND", "7")::get);
        assertThat(config.get("app.drain-timeout").asString().get(), is("PT25S"));
        assertThat(config.get("app.limits.messages-per-second").asInt().get(), is(7));
    }

    @Test
    void unsetVariablesLeaveTheDefaults() {
        Config config = ServiceConfig.load(Map.<String, String>of()::get);
        assertThat(config.get("app.drain-timeout").asString().get(), is("PT20S"));
    }

    @Test
    void theKeysAreTheLeavesUnderApp() {
        assertThat(AppVariables.keys(), hasItem("app.limits.messages-per-second"));
        assertThat(AppVariables.variableOf("app.limits.messages-per-second"), is("APP_LIMITS_MESSAGES_PER_SECOND"));
    }

    @Test
    void unknownAndMisspeltAppVariablesAreReportedWithTheClosestOne() {
        List<String> problems = AppVariables.unknown(List.of("APP_DRAIN_TIMEOUT", "APP_LIMITS_MESAGES_PER_SECOND",
                                                             "PATH", "HOSTNAME", "APP_NONSENSE"));
        assertThat(problems.size(), is(2));
        assertThat(problems.get(0), containsString("APP_LIMITS_MESAGES_PER_SECOND sets nothing"));
        assertThat(problems.get(0), containsString("did you mean APP_LIMITS_MESSAGES_PER_SECOND?"));
        assertThat(problems.get(1), containsString("APP_NONSENSE"));
        assertThat(AppVariables.unknown(List.of("APP_REDIS_URL", "JAVA_TOOL_OPTIONS")), is(empty()));
        assertThat(AppVariables.unknown(List.of("APP_REDIS_UR")), contains(containsString("APP_REDIS_URL")));
    }
}
