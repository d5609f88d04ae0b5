package io.microchat.operator.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.microchat.operator.SpecValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The CRD's CEL rules refuse the cross-field mistakes and the names the children cannot carry on
 * {@code kubectl apply}: every rule of the generated CRD compiles, the samples pass, each mistake is refused with
 * its message, and the operator's own SpecValidator agrees on the spec's mistakes. What only a real API server
 * shows (its exact CEL environment and cost budget) is in docs/operator.md.
 */
class CelRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CelRules RULES = rules();

    private static CelRules rules() {
        try {
            return new CelRules(CrdTest.crd().at("/spec/versions/0/schema/openAPIV3Schema"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyRuleCompiles() throws Exception {
        assertThat(RULES.rules().size(), greaterThanOrEqualTo(14));
        for (CelRules.Rule rule : RULES.rules()) {
            CelRules.compile(rule);
        }
    }

    static List<Path> samples() throws IOException {
        return CrdTest.samples().toList();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theSamplesAreAdmitted(Path sample) throws Exception {
        assertThat(sample.toString(), RULES.violations(YAML.readTree(sample.toFile())), is(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "tokenLifetime: PT5M",
            "tokenLifetime: PT24H",
            "tokenLifetime: PT1H30M",
            "chat: {autoscaling: {enabled: true, minReplicas: 10}}",
            "chat: {resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: '1', memory: 1024Mi}}}",
            "redis: {resources: {requests: {cpu: 100m}, limits: {cpu: 2}}}",
            "chat: {env: [{name: APP_DRAIN_TIMEOUT, value: PT30S}]}",
            "redis: {mode: External, externalUrlSecret: {name: r, key: url}}",
            "ingress: {host: chat.example.com, extraHosts: [chat.example.org]}"})
    void sensibleSpecsAreAdmitted(String spec) throws Exception {
        assertThat(spec, RULES.violations(resource("chat", spec)), is(empty()));
        assertThat(spec, operatorsProblems(resource("chat", spec).get("spec")), is(empty()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis: {mode: External}|spec.redis.externalUrlSecret is required when spec.redis.mode is External",
            "mongodb: {mode: External}|spec.mongodb.externalUriSecret is required when spec.mongodb.mode is External",
            "chat: {autoscaling: {minReplicas: 12}}|minReplicas must not exceed maxReplicas",
            "chat: {autoscaling: {minReplicas: 5, maxReplicas: 4}}|minReplicas must not exceed maxReplicas",
            "tokenLifetime: PT0S|spec.tokenLifetime must be between 5 minutes",
            "tokenLifetime: PT|spec.tokenLifetime must be between 5 minutes",
            "tokenLifetime: PT4M59S|spec.tokenLifetime must be between 5 minutes",
            "tokenLifetime: PT24H1S|spec.tokenLifetime must be between 5 minutes",
            "auth: {env: [{value: x}]}|every env item needs a name",
            "chat: {env: [{name: '', value: x}]}|every env item needs a name",
            "chat: {env: [{name: REDIS_URL, value: 'redis://x'}]}|env must not set PORT",
            "auth: {env: [{name: APP_JWT_LIFETIME, value: PT2H}]}|env must not set PORT",
            "chat: {resources: {requests: {cpu: '2'}, limits: {cpu: 500m}}}|a request must not exceed its limit",
            "mongodb: {resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}}|a request must not exceed its limit",
            "redis: {resources: {limits: {memory: lots}}}|must be quantities such as 500m",
            "auth: {resources: {requests: {cpu: '1.5 cores'}}}|must be quantities such as 500m"})
    void crossFieldMistakesAreRefusedWithTheirMessage(String spec, String message) throws Exception {
        JsonNode resource = resource("chat", spec);
        assertThat(spec, RULES.violations(resource), hasItem(containsString(message)));
        assertThat("the operator agrees: " + spec, operatorsProblems(resource.get("spec")), not(empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1chat", "chat.v2", "Chat", "chat-", "a23456789012345678901234567890123456789012345"})
    void namesTheChildrenCannotCarryAreRefused(String name) throws Exception {
        assertThat(name, RULES.violations(resource(name, "chat: {replicas: 2}")),
                   hasItem(containsString("metadata.name")));
    }

    @Test
    void withoutSpecChatTheScaleSubresourceReadsTheRealCount() throws Exception {
        JsonNode stored = RULES.defaulted(YAML.readTree("metadata: {name: demo}\nspec: {}\n"));
        String path = CrdTest.crd().at("/spec/versions/0/subresources/scale/specReplicasPath").asText();
        assertThat(path, is(".spec.chat.replicas"));
        assertThat("the count the operator deploys, not 0", stored.at("/spec/chat/replicas").asInt(-1),
                   is(new ChatSpec().replicas));
        assertThat(stored.at("/spec/chat/autoscaling/maxReplicas").asInt(), is(new AutoscalingSpec().maxReplicas));
    }

    @Test
    void theLongestNameIsAdmitted() throws Exception {
        String name = "a".repeat(MicroChat.MAX_NAME);
        assertThat(RULES.violations(resource(name, "chat: {replicas: 2}")), is(empty()));
        assertThat("its StatefulSet's revision label fits", (name + "-mongodb-" + "x".repeat(10)).length(), is(63));
    }

    private static List<String> operatorsProblems(JsonNode spec) {
        return SpecValidator.problems(Serialization.jsonMapper().convertValue(spec, MicroChatSpec.class));
    }

    private static JsonNode resource(String name, String spec) throws IOException {
        return YAML.readTree("apiVersion: microchat.io/v1alpha1\nkind: MicroChat\nmetadata: {name: '" + name
                             + "'}\nspec: {" + spec + "}\n");
    }
}
