package io.microchat.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microchat.operator.api.MicroChat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The ServiceMonitor as a dependent behind an activation condition, against the fabric8 mock API server: on a
 * cluster without the kind nothing watches it and the status says why there is none; once the kind exists, it is
 * created with the operator's default labels and the spec's, owned by the MicroChat, and deleted when monitoring is
 * turned off.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceMonitorInMockClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String NS = "monitored";

    static KubernetesClient client;
    private Operator operator;

    @AfterEach
    void stopOperator() {
        operator.stop();
    }

    @Test
    void theServiceMonitorFollowsTheKindAndTheSpec() {
        OperatorDefaults defaults = OperatorDefaults.from(Map.of("MICROCHAT_SERVICE_MONITOR_LABELS",
                                                                 "release=prometheus, team=ops"));
        operator = MicroChatOperator.create(client, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                            new OperatorSettings(Set.of(), null, 0, defaults));
        operator.start();
        MicroChat mc = TestMicroChats.minimal("watched", NS);
        mc.getSpec().monitoring.serviceMonitor = true;
        mc.getSpec().monitoring.labels = Map.of("team", "chat");
        MicroChat created = client.resource(mc).create();

        await().atMost(WAIT).until(() -> message() != null && message().contains("no ServiceMonitor kind"));
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems().size(), is(0));

        createServiceMonitorKind();
        GenericKubernetesResource sm = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            poke();
            return serviceMonitor();
        }, java.util.Objects::nonNull);
        assertThat(sm.getMetadata().getLabels(), hasEntry("release", "prometheus"));
        assertThat("the spec's labels win over the operator's", sm.getMetadata().getLabels(),
                   hasEntry("team", "chat"));
        assertThat(sm.getMetadata().getLabels(), hasEntry(Labels.MANAGED_BY, "microchat-operator"));
        var owner = sm.getMetadata().getOwnerReferences();
        assertThat(owner.size(), is(1));
        assertThat(owner.getFirst().getUid(), is(created.getMetadata().getUid()));
        assertThat(owner.getFirst().getController(), is(true));
        await().atMost(WAIT).until(() -> message() == null || !message().contains("ServiceMonitor"));

        OperatorInMockClusterTest.editRetryingOnConflict(
                client.resources(MicroChat.class).inNamespace(NS).withName("watched"), m -> {
                    m.getSpec().monitoring.serviceMonitor = false;
                    return m;
                });
        await().atMost(WAIT).until(() -> serviceMonitor() == null);
        assertThat(serviceMonitor(), is(nullValue()));
    }

    private static String message() {
        MicroChat mc = client.resources(MicroChat.class).inNamespace(NS).withName("watched").get();
        return mc.getStatus() == null ? null : mc.getStatus().message;
    }

    private static GenericKubernetesResource serviceMonitor() {
        return client.genericKubernetesResources(ServiceMonitors.CONTEXT).inNamespace(NS).withName("watched").get();
    }

    /** A spec change, so that the operator reconciles again (a kind appearing is no event it watches). */
    private static void poke() {
        OperatorInMockClusterTest.editRetryingOnConflict(
                client.resources(MicroChat.class).inNamespace(NS).withName("watched"), m -> {
                    m.getSpec().chat.autoscaling.maxReplicas = m.getSpec().chat.autoscaling.maxReplicas == 10 ? 11 : 10;
                    return m;
                });
    }

    private static void createServiceMonitorKind() {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(ServiceMonitors.PLURAL + "." + ServiceMonitors.GROUP).endMetadata()
                .withNewSpec().withGroup(ServiceMonitors.GROUP).withScope("Namespaced")
                .withNewNames().withKind(ServiceMonitors.KIND).withPlural(ServiceMonitors.PLURAL)
                .withSingular("servicemonitor").endNames()
                .addNewVersion().withName(ServiceMonitors.VERSION).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec().build()).create();
    }
}
