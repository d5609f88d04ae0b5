package io.microchat.operator;

import java.time.Instant;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The rules the schema cannot express, and the status as a function of what is observed. */
class SpecAndStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void theDefaultSpecIsValid() {
        assertThat(SpecValidator.problems(TestMicroChats.minimal("demo", "ns").getSpec()), is(empty()));
    }

    @Test
    void crossFieldProblemsAreNamed() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        mc.getSpec().redis.mode = DataStoreMode.External;
        mc.getSpec().mongodb.mode = DataStoreMode.External;
        mc.getSpec().chat.autoscaling.minReplicas = 5;
        mc.getSpec().chat.autoscaling.maxReplicas = 3;
        mc.getSpec().tokenLifetime = "PT48H";
        mc.getSpec().chat.env.add(new EnvVar("REDIS_URL", "redis://elsewhere", null));
        mc.getSpec().auth.resources = Workloads.resources("2", "1Gi", "1", "2Gi");
        var problems = SpecValidator.problems(mc.getSpec());
        assertThat(problems, hasSize(6));
        assertThat(String.join("\n", problems), containsString("spec.redis.externalUrlSecret is required"));
        assertThat(String.join("\n", problems), containsString("spec.mongodb.externalUriSecret is required"));
        assertThat(String.join("\n", problems), containsString("minReplicas (5) must not exceed maxReplicas (3)"));
        assertThat(String.join("\n", problems), containsString("between 5 minutes and 24 hours"));
        assertThat(String.join("\n", problems), containsString("must not set REDIS_URL"));
        assertThat(String.join("\n", problems), containsString("cpu request (2) exceeds its limit (1)"));
    }

    @Test
    void aMalformedLifetimeIsAProblemNotACrash() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        mc.getSpec().tokenLifetime = "one hour";
        assertThat(SpecValidator.problems(mc.getSpec()).getFirst(), containsString("ISO-8601"));
    }

    @Test
    void failedStatusSaysWhyAndKeepsWhatWasObserved() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        MicroChatStatus status = StatusCalculator.failed(mc, java.util.List.of("a problem"), NOW);
        assertThat(status.phase, is("Failed"));
        assertThat(status.message, is("a problem"));
        assertThat(condition(status, "SpecValid"), is("False"));
        assertThat(status.observedGeneration, is(1L));
    }

    @Test
    void pendingUntilEveryWorkloadExists() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        var observed = new StatusCalculator.Observed(Optional.of(deployment(2, 0, 0, 1, 1)), Optional.empty(),
                                                     Optional.empty(), Optional.empty());
        MicroChatStatus status = StatusCalculator.compute(mc, observed, NOW);
        assertThat(status.phase, is("Pending"));
        assertThat(status.message, containsString("chat"));
        assertThat(condition(status, "Ready"), is("False"));
    }

    @Test
    void progressingWhileRollingOut() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        var observed = new StatusCalculator.Observed(Optional.of(deployment(2, 2, 2, 1, 1)),
                                                     Optional.of(deployment(2, 1, 1, 2, 1)),
                                                     Optional.of(deployment(1, 1, 1, 1, 1)),
                                                     Optional.of(statefulSet(3)));
        MicroChatStatus status = StatusCalculator.compute(mc, observed, NOW);
        assertThat(status.phase, is("Progressing"));
        assertThat(condition(status, "Progressing"), is("True"));
    }

    @Test
    void readyWhenEveryComponentIsReady() {
        MicroChat mc = TestMicroChats.withIngress("demo", "ns", "chat.example.com", "tls");
        var observed = new StatusCalculator.Observed(Optional.of(deployment(2, 2, 2, 1, 1)),
                                                     Optional.of(deployment(2, 2, 2, 1, 1)),
                                                     Optional.of(deployment(1, 1, 1, 1, 1)),
                                                     Optional.of(statefulSet(3)));
        MicroChatStatus status = StatusCalculator.compute(mc, observed, NOW);
        assertThat(status.phase, is("Ready"));
        assertThat(status.replicas, is(2));
        assertThat(status.readyReplicas, is(2));
        assertThat(status.url, is("https://chat.example.com/"));
        assertThat(status.selector, is("app.kubernetes.io/name=microchat,app.kubernetes.io/instance=demo,"
                                       + "app.kubernetes.io/component=chat"));
        assertThat(condition(status, "Ready"), is("True"));
        assertThat(status.message, is((String) null));
    }

    @Test
    void degradedWhenPodsAreMissingWithoutARollout() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        var observed = new StatusCalculator.Observed(Optional.of(deployment(2, 2, 2, 1, 1)),
                                                     Optional.of(deployment(2, 1, 2, 1, 1)),
                                                     Optional.of(deployment(1, 1, 1, 1, 1)),
                                                     Optional.of(statefulSet(0)));
        MicroChatStatus status = StatusCalculator.compute(mc, observed, NOW);
        assertThat(status.phase, is("Degraded"));
        assertThat(status.message, containsString("chat 1/2 ready"));
        assertThat(status.message, containsString("mongodb 0/3 ready"));
    }

    @Test
    void transitionTimesStayWhileAConditionDoesNotChange() {
        MicroChat mc = TestMicroChats.minimal("demo", "ns");
        var ready = new StatusCalculator.Observed(Optional.of(deployment(2, 2, 2, 1, 1)),
                                                  Optional.of(deployment(2, 2, 2, 1, 1)),
                                                  Optional.of(deployment(1, 1, 1, 1, 1)), Optional.of(statefulSet(3)));
        mc.setStatus(StatusCalculator.compute(mc, ready, NOW));
        MicroChatStatus later = StatusCalculator.compute(mc, ready, NOW.plusSeconds(600));
        assertThat(later.conditions.getFirst().getLastTransitionTime(), is(NOW.toString()));
    }

    private static String condition(MicroChatStatus status, String type) {
        return status.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow().getStatus();
    }

    /** A Deployment as the cluster would report it. */
    static Deployment deployment(int replicas, int ready, int updated, long generation, long observedGeneration) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("d").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(ready).withUpdatedReplicas(updated)
                .withAvailableReplicas(ready).withObservedGeneration(observedGeneration).endStatus()
                .build();
    }

    static StatefulSet statefulSet(int ready) {
        return new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata()
                .withNewStatus().withReplicas(1).withReadyReplicas(ready).endStatus().build();
    }
}
