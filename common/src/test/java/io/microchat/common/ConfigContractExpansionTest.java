package io.microchat.common;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@link ConfigContract} turns a container's variables into what the service sees, as the kubelet would. */
class ConfigContractExpansionTest {

    private static final ConfigContract CONTRACT = new ConfigContract("auth", Map.of(
            "REDIS_URL", new ConfigContract.Observed("redis://probe:6379", c -> null, s -> s)));

    @Test
    void aPasswordReferencedByAUrlIsExpandedIntoItAndIsNotTheServicesVariable() {
        Map<String, String> seen = CONTRACT.withProbesForSecrets(List.of(
                Map.entry("PORT", "8081"),
                new AbstractMap.SimpleEntry<>("REDIS_PASSWORD", null),
                Map.entry("REDIS_URL", "redis://:$(REDIS_PASSWORD)@demo-redis:6379")));
        assertThat(seen, is(Map.of("PORT", "8081", "REDIS_URL", "redis://:probe-redis_password@demo-redis:6379")));
    }

    @Test
    void aReferenceToAVariableDefinedLaterIsRefusedAsTheKubeletWouldNotExpandIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> CONTRACT.withProbesForSecrets(List.of(
                Map.entry("REDIS_URL", "redis://:$(REDIS_PASSWORD)@demo-redis:6379"),
                Map.entry("REDIS_PASSWORD", "secret"))));
        assertThat(e.getMessage(), containsString("$(REDIS_PASSWORD), which must be defined before it"));
    }

    @Test
    void aVariableFromASecretWithAnObserverGetsItsProbe() {
        Map<String, String> seen = CONTRACT.withProbesForSecrets(List.of(
                new AbstractMap.SimpleEntry<>("REDIS_URL", null)));
        assertThat(seen, is(Map.of("REDIS_URL", "redis://probe:6379")));
    }
}
