package io.microchat.operator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microchat.operator.api.MicroChat;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The operator process around the reconciler: endpoints, leader election, quiet when nothing changes. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final java.nio.file.Path CHART = java.nio.file.Path.of(System.getProperty("microchat.root", ".."))
            .resolve("charts/microchat");
    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void healthReadinessAndPrometheusMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Operator operator = MicroChatOperator.create(client, registry, new OperatorSettings(Set.of(), null, 0));
        try (OperatorEndpoints endpoints = new OperatorEndpoints(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry, operator).start()) {
            assertThat(get(endpoints, "/healthz").statusCode(), is(200));
            assertThat("not ready before the operator started", get(endpoints, "/readyz").statusCode(), is(503));
            operator.start();
            await().atMost(WAIT).until(() -> get(endpoints, "/readyz").statusCode() == 200);

            client.resource(TestMicroChats.minimal("metered", "ops")).create();
            await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace("ops").withName("metered-chat")
                                                      .get() != null);
            await().atMost(WAIT).until(() -> get(endpoints, "/metrics").body().contains("operator_sdk_reconciliations"));
            HttpResponse<String> metrics = get(endpoints, "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type").orElse(""), containsString("text/plain"));
            assertThat(metrics.body(), containsString("operator_sdk_reconciliations_started_total"));
            // what the chart's dashboard and alerts query from the operator, it exports
            String dashboards = java.nio.file.Files.readString(CHART.resolve("dashboards/microchat.json"))
                                + java.nio.file.Files.readString(CHART.resolve("files/prometheus-rules.yaml"));
            var names = java.util.regex.Pattern.compile("\\b((?:operator_sdk|microchat)_[a-z_]+)\\b").matcher(dashboards)
                    .results().map(m -> m.group(1)).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
            assertThat(names.isEmpty(), is(false));
            // the status gauges appear once the first reconcile has written a status, a moment after it started
            await().atMost(WAIT).untilAsserted(() -> {
                String body = get(endpoints, "/metrics").body();
                for (String name : names) {
                    if (name.equals("operator_sdk_reconciliations_failed_total")) {
                        continue; // JOSDK creates it with the first failed reconcile
                    }
                    assertThat(name + " is exported", body, containsString(name));
                }
            });
        } finally {
            operator.stop();
        }
    }

    @Test
    void twoReplicasElectOneLeaderThroughALease() {
        // Before electing, JOSDK asks the API server what it may do with Leases; answer as a real API server does
        // for a ServiceAccount bound to the leader-election Role of k8s/operator/01-rbac.yaml.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                        .withNewMetadata().endMetadata()
                        .withNewSpec().withNamespace("microchat-system").endSpec()
                        .withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").endResourceRule()
                        .endStatus().build())
                .always();
        OperatorSettings settings = new OperatorSettings(Set.of(), "microchat-system", 0);
        // Two replicas in one JVM: each its own identity (in a cluster, the pod name), and no System.exit when
        // leadership ends (in a cluster, the pod restarts and rejoins).
        Operator first = MicroChatOperator.create(client, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                                  settings, election("replica-1"));
        Operator second = MicroChatOperator.create(client, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                                   settings, election("replica-2"));
        try {
            first.start();
            second.start();
            Lease lease = await().atMost(WAIT).until(
                    () -> client.leases().inNamespace("microchat-system").withName(MicroChatOperator.LEASE).get(),
                    l -> l != null && l.getSpec().getHolderIdentity() != null);
            assertThat(lease.getSpec().getHolderIdentity(), org.hamcrest.Matchers.oneOf("replica-1", "replica-2"));

            client.resource(TestMicroChats.minimal("elected", "ops")).create();
            Deployment chat = await().atMost(WAIT).until(
                    () -> client.apps().deployments().inNamespace("ops").withName("elected-chat").get(),
                    java.util.Objects::nonNull);
            assertThat(chat.getMetadata().getOwnerReferences().size(), is(1));
        } finally {
            second.stop();
            first.stop();
        }
    }

    @Test
    void aReadyMicroChatIsLeftAlone() throws Exception {
        Operator operator = MicroChatOperator.create(client, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                                                     new OperatorSettings(Set.of(), null, 0));
        operator.start();
        try {
            client.resource(TestMicroChats.minimal("quiet", "ops")).create();
            for (String name : new String[] {"quiet-auth", "quiet-chat", "quiet-redis"}) {
                Deployment d = await().atMost(WAIT).until(
                        () -> client.apps().deployments().inNamespace("ops").withName(name).get(),
                        java.util.Objects::nonNull);
                int replicas = d.getSpec().getReplicas();
                client.apps().deployments().inNamespace("ops").withName(name).editStatus(x -> {
                    x.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                                        .withReplicas(replicas).withReadyReplicas(replicas)
                                        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).build());
                    return x;
                });
            }
            await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace("ops").withName("quiet-mongodb")
                                                     .get() != null);
            client.apps().statefulSets().inNamespace("ops").withName("quiet-mongodb").editStatus(s -> {
                s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder().withReplicas(3)
                                    .withReadyReplicas(3).build());
                return s;
            });
            await().atMost(WAIT).until(() -> "Ready".equals(phase("quiet")));
            // a reconcile queued before Ready may still settle the status once; then nothing may change
            String[] seen = {""};
            long[] since = {System.nanoTime()};
            await().atMost(WAIT).until(() -> {
                String now = client.resources(MicroChat.class).inNamespace("ops").withName("quiet").get()
                        .getMetadata().getResourceVersion();
                if (!now.equals(seen[0])) {
                    seen[0] = now;
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] > 2_000_000_000L;
            });
            String version = seen[0];
            String chatVersion = client.apps().deployments().inNamespace("ops").withName("quiet-chat").get()
                    .getMetadata().getResourceVersion();
            Thread.sleep(3_000);
            assertThat("no status churn", client.resources(MicroChat.class).inNamespace("ops").withName("quiet").get()
                    .getMetadata().getResourceVersion(), is(version));
            assertThat("no needless updates", client.apps().deployments().inNamespace("ops").withName("quiet-chat").get()
                    .getMetadata().getResourceVersion(), is(chatVersion));
        } finally {
            operator.stop();
        }
    }

    private static LeaderElectionConfiguration election(String identity) {
        return new LeaderElectionConfiguration(MicroChatOperator.LEASE, "microchat-system", Duration.ofSeconds(4),
                                               Duration.ofSeconds(3), Duration.ofMillis(500), identity, null, false);
    }

    private static String phase(String name) {
        MicroChat mc = client.resources(MicroChat.class).inNamespace("ops").withName(name).get();
        return mc == null || mc.getStatus() == null ? null : mc.getStatus().phase;
    }

    private static HttpResponse<String> get(OperatorEndpoints endpoints, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
