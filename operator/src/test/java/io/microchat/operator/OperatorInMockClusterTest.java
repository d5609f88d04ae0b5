package io.microchat.operator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operator in this JVM against the fabric8 mock API server in CRUD mode: resources are stored and watched as
 * a real API server would, but no controller runs, so tests set Deployment status themselves, as the Deployment
 * controller would.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorInMockClusterTest {

    /** Generous: the mock server sometimes takes seconds to answer a PATCH under load, and retries back off. */
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String NS = "chat";

    static KubernetesClient client;
    private Operator operator;

    @BeforeEach
    void startOperator() {
        operator = startedOperator();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
    }

    private static Operator startedOperator() {
        Operator started = MicroChatOperator.create(client, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                                    new OperatorSettings(Set.of(), null, 0));
        started.start();
        return started;
    }

    private static MicroChat create(MicroChat mc) {
        return client.resource(mc).create();
    }

    private static MicroChat fetch(String name) {
        return client.resources(MicroChat.class).inNamespace(NS).withName(name).get();
    }

    private static <T extends HasMetadata> T awaitObject(Class<T> type, String name) {
        return org.awaitility.Awaitility.await().atMost(WAIT).until(
                () -> client.resources(type).inNamespace(NS).withName(name).get(), java.util.Objects::nonNull);
    }

    @Test
    void aMicroChatBecomesEveryObjectItNeedsEachOwnedByIt() {
        MicroChat mc = TestMicroChats.withIngress("full", NS, "chat.example.com", "chat-tls");
        mc.getSpec().chat.autoscaling.enabled = true;
        MicroChat created = create(mc);

        List<HasMetadata> made = List.of(awaitObject(Secret.class, "full-jwt"),
                                         awaitObject(Deployment.class, "full-auth"), awaitObject(Service.class, "full-auth"),
                                         awaitObject(PodDisruptionBudget.class, "full-auth"),
                                         awaitObject(NetworkPolicy.class, "full-auth"),
                                         awaitObject(NetworkPolicy.class, "full-chat"),
                                         awaitObject(Deployment.class, "full-chat"), awaitObject(Service.class, "full-chat"),
                                         awaitObject(PodDisruptionBudget.class, "full-chat"),
                                         awaitObject(HorizontalPodAutoscaler.class, "full-chat"),
                                         awaitObject(Deployment.class, "full-redis"), awaitObject(Service.class, "full-redis"),
                                         awaitObject(NetworkPolicy.class, "full-redis"),
                                         awaitObject(StatefulSet.class, "full-mongodb"), awaitObject(Service.class, "full-mongodb"),
                                         awaitObject(NetworkPolicy.class, "full-mongodb"),
                                         awaitObject(Ingress.class, "full"));
        for (HasMetadata object : made) {
            var owner = object.getMetadata().getOwnerReferences();
            assertThat(object.getKind() + " " + object.getMetadata().getName() + " is owned", owner.size(), is(1));
            assertThat(owner.getFirst().getUid(), is(created.getMetadata().getUid()));
            assertThat(owner.getFirst().getKind(), is("MicroChat"));
            assertThat("the MicroChat is the controller", owner.getFirst().getController(), is(true));
            assertThat(object.getMetadata().getLabels().get(Labels.MANAGED_BY), is("microchat-operator"));
        }
        await().atMost(WAIT).until(() -> fetch("full").getStatus() != null
                                         && fetch("full").getStatus().observedGeneration != null);
        MicroChat observed = fetch("full");
        assertThat(observed.getStatus().phase, not("Failed"));
        assertThat(observed.getStatus().url, is("https://chat.example.com/"));
        assertThat(observed.getStatus().selector, containsString("app.kubernetes.io/component=chat"));
    }

    @Test
    void optionalObjectsOnlyWhenAskedFor() {
        MicroChat mc = TestMicroChats.minimal("lean", NS);
        mc.getSpec().redis.mode = DataStoreMode.External;
        mc.getSpec().redis.externalUrlSecret = new io.microchat.operator.api.SecretKeyRef("redis", "url");
        create(mc);
        awaitObject(Deployment.class, "lean-chat");
        awaitObject(StatefulSet.class, "lean-mongodb");
        assertThat(client.apps().deployments().inNamespace(NS).withName("lean-redis").get(), is((Deployment) null));
        assertThat(client.network().v1().ingresses().inNamespace(NS).withName("lean").get(), is((Ingress) null));
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName("lean-chat").get(),
                   is((HorizontalPodAutoscaler) null));
    }

    @Test
    void theChatDeploymentFollowsReplicasWithoutTouchingThePodTemplate() {
        create(TestMicroChats.minimal("scaled", NS));
        Deployment before = awaitObject(Deployment.class, "scaled-chat");
        assertThat(before.getSpec().getReplicas(), is(2));

        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("scaled"), m -> {
            m.getSpec().chat.replicas = 5;
            return m;
        });
        await().atMost(WAIT).until(() -> chatReplicas("scaled") == 5);
        Deployment after = client.apps().deployments().inNamespace(NS).withName("scaled-chat").get();
        assertThat(Serialization.asJson(after.getSpec().getTemplate()),
                   is(Serialization.asJson(before.getSpec().getTemplate())));
    }

    @Test
    void scalingThroughTheScaleSubresourceReachesTheDeployment() {
        create(TestMicroChats.minimal("viascale", NS));
        awaitObject(Deployment.class, "viascale-chat");
        // What `kubectl scale microchat viascale --replicas=4` and an autoscaler do: write spec.chat.replicas through
        // the scale subresource (its paths are checked in CrdTest). The mock server has no /scale for custom
        // resources, so this writes the same field the API server would.
        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("viascale"), m -> {
            m.getSpec().chat.replicas = 4;
            return m;
        });
        await().atMost(WAIT).until(() -> chatReplicas("viascale") == 4);
    }

    @Test
    void anImageChangeRollsTheDeployment() {
        create(TestMicroChats.minimal("upgrade", NS));
        awaitObject(Deployment.class, "upgrade-chat");
        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("upgrade"), m -> {
            m.getSpec().chat.image = "microchat/chat:2.0.0";
            return m;
        });
        await().atMost(WAIT).until(() -> "microchat/chat:2.0.0".equals(
                client.apps().deployments().inNamespace(NS).withName("upgrade-chat").get()
                        .getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()));
    }

    @Test
    void aDeletedDeploymentComesBack() {
        create(TestMicroChats.minimal("drift", NS));
        Deployment original = awaitObject(Deployment.class, "drift-chat");
        client.apps().deployments().inNamespace(NS).withName("drift-chat").delete();
        await().atMost(WAIT).until(() -> {
            Deployment back = client.apps().deployments().inNamespace(NS).withName("drift-chat").get();
            return back != null && !back.getMetadata().getUid().equals(original.getMetadata().getUid());
        });
    }

    @Test
    void aDeploymentEditedByHandIsPutBack() {
        create(TestMicroChats.minimal("edited", NS));
        awaitObject(Deployment.class, "edited-auth");
        editRetryingOnConflict(client.apps().deployments().inNamespace(NS).withName("edited-auth"), d -> {
            d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("someone/else:latest");
            d.getSpec().setReplicas(9);
            return d;
        });
        await().atMost(WAIT).until(() -> {
            Deployment now = client.apps().deployments().inNamespace(NS).withName("edited-auth").get();
            return now.getSpec().getReplicas() == 2
                   && now.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()
                           .equals(OperatorDefaults.release().authImage());
        });
    }

    @Test
    void anInvalidSpecEndsInFailedAndChangesNothing() {
        MicroChat mc = TestMicroChats.minimal("broken", NS);
        mc.getSpec().mongodb.mode = DataStoreMode.External;
        create(mc);
        await().atMost(WAIT).until(() -> fetch("broken").getStatus() != null
                                         && "Failed".equals(fetch("broken").getStatus().phase));
        assertThat(fetch("broken").getStatus().message, containsString("spec.mongodb.externalUriSecret is required"));
        assertThat(client.apps().deployments().inNamespace(NS).withLabel(Labels.INSTANCE, "broken").list().getItems(),
                   is(empty()));

        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("broken"), m -> {
            m.getSpec().mongodb.mode = DataStoreMode.Managed;
            return m;
        });
        awaitObject(Deployment.class, "broken-chat");
        await().atMost(WAIT).until(() -> !"Failed".equals(fetch("broken").getStatus().phase));
    }

    @Test
    void statusFollowsTheDeploymentsReadiness() {
        create(TestMicroChats.minimal("watched", NS));
        awaitObject(Deployment.class, "watched-auth");
        awaitObject(Deployment.class, "watched-chat");
        awaitObject(Deployment.class, "watched-redis");
        awaitObject(StatefulSet.class, "watched-mongodb");
        await().atMost(WAIT).until(() -> fetch("watched").getStatus() != null
                                         && fetch("watched").getStatus().phase != null);
        assertThat(fetch("watched").getStatus().phase, not("Ready"));

        setReady("watched-auth", 2, 2);
        setReady("watched-chat", 2, 2);
        setReady("watched-redis", 1, 1);
        client.apps().statefulSets().inNamespace(NS).withName("watched-mongodb").editStatus(s -> {
            s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder().withReplicas(3)
                                .withReadyReplicas(3).build());
            return s;
        });
        await().atMost(WAIT).until(() -> "Ready".equals(fetch("watched").getStatus().phase));
        MicroChat ready = fetch("watched");
        assertThat(ready.getStatus().readyReplicas, is(2));
        assertThat(ready.getStatus().replicas, is(2));
        assertThat(ready.getStatus().conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst()
                           .orElseThrow().getStatus(), is("True"));

        setReady("watched-chat", 2, 1);
        await().atMost(WAIT).until(() -> "Degraded".equals(fetch("watched").getStatus().phase));
        assertThat(fetch("watched").getStatus().message, containsString("chat 1/2 ready"));
    }

    @Test
    void theSigningKeySurvivesAnOperatorRestart() {
        create(TestMicroChats.minimal("keyed", NS));
        Secret first = awaitObject(Secret.class, "keyed-jwt");
        String key = signingKey(first);
        assertThat(key, notNullValue());

        operator.stop();
        operator = startedOperator();
        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("keyed"), m -> {
            m.getSpec().auth.replicas = 3;
            return m;
        });
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName("keyed-auth").get()
                                                 .getSpec().getReplicas() == 3);
        Secret after = client.secrets().inNamespace(NS).withName("keyed-jwt").get();
        String keyAfter = signingKey(after);
        assertThat("never rotated by accident", keyAfter, is(key));
        assertThat(after.getMetadata().getUid(), is(first.getMetadata().getUid()));
    }

    @Test
    void aStorageChangeExpandsTheClaimsOrIsReportedWithoutStoppingTheRest() {
        create(TestMicroChats.minimal("disk", NS));
        StatefulSet created = awaitObject(StatefulSet.class, "disk-mongodb");
        // No StatefulSet controller here: the claim it would make for pod 0, in a class that can expand.
        client.storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata().withName("expandable").endMetadata().withProvisioner("example.com/disk")
                .withAllowVolumeExpansion(true).build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model
                .PersistentVolumeClaimBuilder().withNewMetadata().withName("data-disk-mongodb-0")
                .withLabels(Labels.selector(fetch("disk"), "mongodb")).endMetadata()
                .withNewSpec().withStorageClassName("expandable").withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("10Gi"))
                .endResources().endSpec().build()).create();

        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("disk"), m -> {
            m.getSpec().mongodb.storageSize = "20Gi";
            return m;
        });
        await().atMost(WAIT).until(() -> "20Gi".equals(client.persistentVolumeClaims().inNamespace(NS)
                .withName("data-disk-mongodb-0").get().getSpec().getResources().getRequests().get("storage")
                .toString()));
        assertThat("the immutable claim template is left as it was",
                   Serialization.asJson(client.apps().statefulSets().inNamespace(NS).withName("disk-mongodb").get()
                                                .getSpec().getVolumeClaimTemplates()),
                   is(Serialization.asJson(created.getSpec().getVolumeClaimTemplates())));

        editRetryingOnConflict(client.resources(MicroChat.class).inNamespace(NS).withName("disk"), m -> {
            m.getSpec().mongodb.storageClassName = "fast";
            m.getSpec().chat.replicas = 5;
            return m;
        });
        await().atMost(WAIT).until(() -> fetch("disk").getStatus().conditions.stream().anyMatch(
                c -> c.getType().equals("SpecApplied") && c.getStatus().equals("False")));
        MicroChat refused = fetch("disk");
        assertThat(refused.getStatus().phase, is("Degraded"));
        assertThat(refused.getStatus().message, containsString("storageClassName cannot change"));
        await().atMost(WAIT).until(() -> chatReplicas("disk") == 5);
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream().anyMatch(
                e -> "ChangeRefused".equals(e.getReason()) && "disk".equals(e.getInvolvedObject().getName())));
    }

    /** The key as stored: the API server turns stringData into data; the mock server may keep either. */
    private static String signingKey(Secret secret) {
        if (secret.getData() != null && secret.getData().containsKey("private.pem")) {
            return new String(java.util.Base64.getDecoder().decode(secret.getData().get("private.pem")),
                              java.nio.charset.StandardCharsets.US_ASCII);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get("private.pem");
    }

    private static int chatReplicas(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name + "-chat").get().getSpec().getReplicas();
    }

    private static void setReady(String deployment, int replicas, int ready) {
        client.apps().deployments().inNamespace(NS).withName(deployment).editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                                .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready)
                                .withUpdatedReplicas(replicas).withObservedGeneration(d.getMetadata().getGeneration())
                                .build());
            return d;
        });
    }

    /**
     * Edits as {@code kubectl edit} and every well-behaved client do: the operator writes the status meanwhile, so
     * an edit based on an older version is refused with 409 Conflict and made again on the current one.
     */
    static <T extends HasMetadata> void editRetryingOnConflict(Resource<T> resource, UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                resource.edit(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
