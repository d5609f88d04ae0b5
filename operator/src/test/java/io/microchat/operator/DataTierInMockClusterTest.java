package io.microchat.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.dependent.AuthDeploymentDependentResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The data tier's operator behaviour against the fabric8 mock API server: generated Secrets (created once, kept
 * across operator restarts), the replica set initiated and scaled through an in-memory replica set, and each step
 * of a signing-key rotation, with a clock the test moves.
 */
@EnableKubernetesMockClient(crud = true)
class DataTierInMockClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration PROPAGATION = Duration.ofMinutes(6);
    private static final String NS = "data";

    static KubernetesClient client;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private InMemoryReplicaSet replicaSet;
    private Operator operator;

    private Operator start(String name) {
        if (replicaSet == null) {
            replicaSet = new InMemoryReplicaSet(() -> {
                StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName(name + "-mongodb").get();
                return sts == null ? 0 : sts.getSpec().getReplicas();
            });
        }
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        operator = MicroChatOperator.create(client, registry, new OperatorSettings(Set.of(NS), null, 0), null,
                                            new MicroChatReconciler(clock, new StatusMetrics(registry), replicaSet,
                                                                    PROPAGATION, OperatorDefaults.release()));
        operator.start();
        return operator;
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
    }

    @Test
    void generatedSecretsAreCreatedOnceAndSurviveAnOperatorRestart() {
        start("kept");
        client.resource(TestMicroChats.minimal("kept", NS)).create();
        List<String> names = List.of("kept-jwt", "kept-mongodb-users", "kept-mongodb-keyfile", "kept-redis-password");
        Map<String, Map<String, String>> before = new java.util.HashMap<>();
        Map<String, String> uids = new java.util.HashMap<>();
        for (String name : names) {
            Secret secret = awaitObject(Secret.class, name);
            before.put(name, SecretValues.of(secret));
            uids.put(name, secret.getMetadata().getUid());
            assertThat(name + " is owned", secret.getMetadata().getOwnerReferences().size(), is(1));
        }
        awaitObject(PodDisruptionBudget.class, "kept-mongodb");

        operator.stop();
        start("kept");
        edit("kept", m -> {
            m.getSpec().auth.replicas = 3;
            return m;
        });
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName("kept-auth").get()
                                                 .getSpec().getReplicas() == 3);
        for (String name : names) {
            Secret after = client.secrets().inNamespace(NS).withName(name).get();
            assertThat(name + " kept its values", SecretValues.of(after), is(before.get(name)));
            assertThat(after.getMetadata().getUid(), is(uids.get(name)));
        }
    }

    @Test
    void theReplicaSetIsInitiatedWithItsFirstMemberThenGrowsAsMembersAnswer() {
        start("grow");
        replicaSet.answering.add(Names.mongodbMember(TestMicroChats.minimal("grow", NS), 0));
        client.resource(TestMicroChats.minimal("grow", NS)).create();
        MicroChat mc = TestMicroChats.minimal("grow", NS);
        String h0 = Names.mongodbMember(mc, 0);
        String h1 = Names.mongodbMember(mc, 1);
        String h2 = Names.mongodbMember(mc, 2);
        await().atMost(WAIT).until(() -> replicaSet.config().isPresent());
        assertThat(replicaSet.calls.getFirst(), is("initiate [" + h0 + "]"));
        await().atMost(WAIT).until(() -> fetch("grow").getStatus() != null
                                         && fetch("grow").getStatus().replicaSet != null
                                         && fetch("grow").getStatus().replicaSet.applicationUser);
        String appPassword = SecretValues.of(client.secrets().inNamespace(NS).withName("grow-mongodb-users").get())
                .get("app-password");
        assertThat(replicaSet.users(), contains("microchat.microchat:" + appPassword));
        assertThat(replicaSet.calls, org.hamcrest.Matchers.hasItem("user microchat.microchat readWrite"));

        replicaSet.answering.addAll(List.of(h1, h2));
        pokeUntil("grow", () -> replicaSet.config().orElseThrow().hosts().size() == 3);
        assertThat(replicaSet.config().orElseThrow().hosts(), contains(h0, h1, h2));
        assertThat(replicaSet.calls.stream().filter(c -> c.startsWith("reconfigure")).toList(),
                   contains("reconfigure [" + h0 + ", " + h1 + "]",
                            "reconfigure [" + h0 + ", " + h1 + ", " + h2 + "]"));
        await().atMost(WAIT).until(() -> fetch("grow").getStatus().replicaSet.members.size() == 3);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("grow-mongodb").get().getSpec().getReplicas(),
                   is(3));
    }

    @Test
    void scalingDownRemovesEachMemberFromTheConfigurationBeforeItsPod() {
        start("shrink");
        MicroChat mc = TestMicroChats.minimal("shrink", NS);
        mc.getSpec().mongodb.members = 5;
        IntStream.range(0, 5).forEach(i -> replicaSet.answering.add(Names.mongodbMember(mc, i)));
        client.resource(mc).create();
        pokeUntil("shrink", () -> replicaSet.config().isPresent() && replicaSet.config().get().hosts().size() == 5);
        await().atMost(WAIT).until(() -> stsReplicas("shrink") == 5);

        edit("shrink", m -> {
            m.getSpec().mongodb.members = 3;
            return m;
        });
        pokeUntil("shrink", () -> replicaSet.config().get().hosts().size() == 3 && stsReplicas("shrink") == 3);
        assertThat(replicaSet.config().get().hosts(), contains(Names.mongodbMember(mc, 0), Names.mongodbMember(mc, 1),
                                                               Names.mongodbMember(mc, 2)));
        assertThat("the pod of a member being removed still exists", replicaSet.podsWhenRemoving.getFirst(), is(5));
        assertThat(replicaSet.podsWhenRemoving, everyItem(greaterThanOrEqualTo(4)));
    }

    @Test
    void aSingleMemberIsAllowedWithAWarning() {
        start("solo");
        MicroChat mc = TestMicroChats.minimal("solo", NS);
        mc.getSpec().mongodb.members = 1;
        replicaSet.answering.add(Names.mongodbMember(mc, 0));
        client.resource(mc).create();
        await().atMost(WAIT).until(() -> fetch("solo").getStatus() != null && fetch("solo").getStatus().message != null
                                         && fetch("solo").getStatus().message.contains("one member"));
        assertThat(fetch("solo").getStatus().message, containsString("no failover"));
        assertThat(stsReplicas("solo"), is(1));
    }

    @Test
    void aRotationPublishesTheNewKeyBeforeItSignsAndDropsTheOldOneAfterItsTokensExpired() {
        start("rotate");
        client.resource(TestMicroChats.minimal("rotate", NS)).create();
        Secret created = awaitObject(Secret.class, "rotate-jwt");
        String original = SecretValues.of(created).get("private.pem");
        await().atMost(WAIT).until(() -> annotation("rotate-jwt", SigningKeyRotator.ACTIVE_SINCE) != null);
        awaitAuthRunningTheSecret("rotate");

        // on demand: the annotation
        edit("rotate", m -> {
            m.getMetadata().setAnnotations(Map.of(SigningKeyRotator.ROTATE_ANNOTATION, "2026-03-01"));
            return m;
        });
        pokeUntil("rotate", () -> keys("rotate").containsKey("next.pem")); // else noticed within a minute
        String next = keys("rotate").get("next.pem");
        assertThat("the new key is published, the old one still signs", keys("rotate").get("private.pem"),
                   is(original));
        assertThat(annotation("rotate-jwt", SigningKeyRotator.NEXT_PUBLISHED_AT), is((String) null));

        // auth rolls with the new checksum; only once every pod runs it does the key count as published
        awaitAuthRunningTheSecret("rotate");
        await().atMost(WAIT).until(() -> annotation("rotate-jwt", SigningKeyRotator.NEXT_PUBLISHED_AT) != null);
        clock.advance(PROPAGATION.minusSeconds(10));
        poke("rotate");
        sleep(Duration.ofSeconds(3));
        assertThat("not signing before the propagation delay", keys("rotate").get("private.pem"), is(original));

        // an operator restart in the middle changes nothing: the state is in the Secret
        operator.stop();
        start("rotate");
        clock.advance(Duration.ofSeconds(10));
        pokeUntil("rotate", () -> next.equals(keys("rotate").get("private.pem")));
        assertThat(keys("rotate").get("previous.pem"), is(original));
        assertThat(keys("rotate").containsKey("next.pem"), is(false));

        awaitAuthRunningTheSecret("rotate");
        await().atMost(WAIT).until(() -> annotation("rotate-jwt", SigningKeyRotator.PREVIOUS_RETIRED_AT) != null);
        // the token lifetime (the default); the clock skew allowance is still to come
        clock.advance(Duration.parse(TestMicroChats.minimal("rotate", NS).getSpec().tokenLifetime));
        poke("rotate");
        sleep(Duration.ofSeconds(3));
        assertThat("published while a token it signed may be valid", keys("rotate"), hasKey("previous.pem"));
        clock.advance(SigningKeyRotation.CLOCK_SKEW);
        pokeUntil("rotate", () -> !keys("rotate").containsKey("previous.pem"));
        assertThat(keys("rotate").get("private.pem"), is(next));

        // the same annotation value again does not rotate again
        poke("rotate");
        sleep(Duration.ofSeconds(3));
        assertThat(keys("rotate"), not(hasKey("next.pem")));
    }

    @Test
    void aKeyOlderThanTheRotationPeriodIsRotated() {
        start("aged");
        client.resource(TestMicroChats.minimal("aged", NS)).create();
        awaitObject(Secret.class, "aged-jwt");
        await().atMost(WAIT).until(() -> annotation("aged-jwt", SigningKeyRotator.ACTIVE_SINCE) != null);
        clock.advance(Duration.ofDays(29));
        poke("aged");
        sleep(Duration.ofSeconds(3));
        assertThat(keys("aged"), not(hasKey("next.pem")));
        clock.advance(Duration.ofDays(1));
        pokeUntil("aged", () -> keys("aged").containsKey("next.pem"));
    }

    @Test
    void withoutTheCommunityOperatorsKindTheStatusSaysSoAndNothingElseRunsMongoDb() {
        start("nocrd");
        MicroChat mc = TestMicroChats.minimal("nocrd", NS);
        mc.getSpec().mongodb.mode = DataStoreMode.CommunityOperator;
        client.resource(mc).create();
        await().atMost(WAIT).until(() -> fetch("nocrd").getStatus() != null && fetch("nocrd").getStatus().message != null
                                         && fetch("nocrd").getStatus().message.contains("no MongoDBCommunity kind"));
        awaitObject(Secret.class, "nocrd-mongodb-microchat-password");
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("nocrd-mongodb").get(),
                   is((StatefulSet) null));
        assertThat(client.secrets().inNamespace(NS).withName("nocrd-mongodb-users").get(), is((Secret) null));
        assertThat(replicaSet.calls, is(List.of()));
    }

    @Test
    void whereItsKindExistsTheCommunityOperatorIsAskedForTheDatabaseAndItsPhaseGatesReady() {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("mongodbcommunity.mongodbcommunity.mongodb.com").endMetadata()
                .withNewSpec().withGroup("mongodbcommunity.mongodb.com").withScope("Namespaced")
                .withNewNames().withKind("MongoDBCommunity").withPlural("mongodbcommunity")
                .withSingular("mongodbcommunity").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec().build()).create();
        start("asked");
        MicroChat mc = TestMicroChats.minimal("asked", NS);
        mc.getSpec().mongodb.mode = DataStoreMode.CommunityOperator;
        MicroChat created = client.resource(mc).create();
        var resource = await().atMost(WAIT).until(
                () -> client.genericKubernetesResources(MongoDbCommunity.CONTEXT).inNamespace(NS).withName("asked-mongodb")
                        .get(), java.util.Objects::nonNull);
        assertThat(resource.getMetadata().getOwnerReferences().getFirst().getUid(),
                   is(created.getMetadata().getUid()));
        assertThat(((Map<?, ?>) resource.getAdditionalProperties().get("spec")).get("members"), is(3));
        awaitObject(Secret.class, "asked-mongodb-microchat-password");
        for (String name : List.of("asked-auth", "asked-chat", "asked-redis")) {
            awaitObject(Deployment.class, name);
            client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> {
                int replicas = d.getSpec().getReplicas();
                d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                                    .withAvailableReplicas(replicas).withUpdatedReplicas(replicas)
                                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
                return d;
            });
        }
        await().atMost(WAIT).until(() -> fetch("asked").getStatus() != null
                                         && "Progressing".equals(fetch("asked").getStatus().phase)
                                         && fetch("asked").getStatus().message.contains(
                                                 "Waiting for MongoDBCommunity asked-mongodb to run"));

        client.genericKubernetesResources(MongoDbCommunity.CONTEXT).inNamespace(NS).withName("asked-mongodb")
                .editStatus(r -> {
                    r.setAdditionalProperty("status", Map.of("phase", "Running"));
                    return r;
                });
        pokeUntil("asked", () -> "Ready".equals(fetch("asked").getStatus().phase));
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("asked-mongodb").get(),
                   is((StatefulSet) null));
    }

    /** What the Deployment controller would do: roll auth out, every pod on the current template. */
    private void awaitAuthRunningTheSecret(String name) {
        await().atMost(WAIT).until(() -> {
            Deployment auth = client.apps().deployments().inNamespace(NS).withName(name + "-auth").get();
            var annotations = auth.getSpec().getTemplate().getMetadata().getAnnotations();
            return annotations != null && SecretValues.checksum(client.secrets().inNamespace(NS)
                                                                        .withName(name + "-jwt").get())
                    .equals(annotations.get(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM));
        });
        client.apps().deployments().inNamespace(NS).withName(name + "-auth").editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withAvailableReplicas(2)
                                .withUpdatedReplicas(2).withObservedGeneration(d.getMetadata().getGeneration())
                                .build());
            return d;
        });
    }

    private Map<String, String> keys(String name) {
        return SecretValues.of(client.secrets().inNamespace(NS).withName(name + "-jwt").get());
    }

    private static String annotation(String secret, String key) {
        var annotations = client.secrets().inNamespace(NS).withName(secret).get().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static int stsReplicas(String name) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName(name + "-mongodb").get();
        return sts == null ? 0 : sts.getSpec().getReplicas();
    }

    private static MicroChat fetch(String name) {
        return client.resources(MicroChat.class).inNamespace(NS).withName(name).get();
    }

    /**
     * A spec change that changes no object (autoscaling is off): a reconcile now rather than at the next scheduled
     * one.
     */
    private static void poke(String name) {
        edit(name, m -> {
            m.getSpec().chat.autoscaling.maxReplicas = m.getSpec().chat.autoscaling.maxReplicas == 10 ? 11 : 10;
            return m;
        });
    }

    private static void pokeUntil(String name, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (Boolean.TRUE.equals(condition.call())) {
                return true;
            }
            poke(name);
            return false;
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T extends HasMetadata> T awaitObject(Class<T> type, String name) {
        return await().atMost(WAIT).until(() -> client.resources(type).inNamespace(NS).withName(name).get(),
                                          java.util.Objects::nonNull);
    }

    private static void edit(String name, UnaryOperator<MicroChat> change) {
        OperatorInMockClusterTest.editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS)
                                                                 .withName(name), change);
    }
}
