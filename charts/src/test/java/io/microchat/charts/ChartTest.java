package io.microchat.charts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Helm chart, checked with Helm's own lint and template: no cluster needed. */
class ChartTest {

    static final Path ROOT = Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("charts/microchat");
    static final Path EVERYTHING = Path.of("src/test/resources/values-everything.yaml").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    static TemplateCommand template() {
        return new Helm(HelmJavaChart.copy()).template().withName("microchat").withNamespace("microchat-system");
    }

    static List<HasMetadata> render(TemplateCommand command) {
        String yaml = command.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
            }
        }
        return objects;
    }

    static <T extends HasMetadata> T find(List<HasMetadata> objects, String kind, String name) {
        @SuppressWarnings("unchecked")
        T found = (T) objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds(objects)));
        return found;
    }

    static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    @Test
    void lintsCleanlyInStrictMode() {
        LintResult result = new Helm(HelmJavaChart.copy()).lint().strict().call();
        assertThat(String.join("\n", result.getMessages()), result.isFailed(), is(false));
    }

    @Test
    void theChartRefusesClustersOlderThanItsKubeVersion() throws IOException {
        assertThat(Files.readString(CHART.resolve("Chart.yaml")), containsString("\nkubeVersion: \">=1.29.0-0\"\n"));
        Exception refused = assertThrows(IllegalStateException.class,
                                         () -> new Helm(CHART).template().withName("microchat").call());
        assertThat("helm-java's default cluster is 1.20", refused.getMessage(),
                   containsString("chart requires kubeVersion: >=1.29.0-0 which is incompatible with Kubernetes v1.20.0"));
    }

    @Test
    void defaultsInstallTheOperatorAndNothingElse() {
        List<HasMetadata> objects = render(template());
        assertThat(kinds(objects), is(List.of("NetworkPolicy/microchat-operator",
                                              "ServiceAccount/microchat-operator",
                                              "CustomResourceDefinition/microchats.microchat.io",
                                              "ClusterRole/microchat-operator",
                                              "ClusterRoleBinding/microchat-operator",
                                              "Role/microchat-operator-leader-election",
                                              "RoleBinding/microchat-operator-leader-election",
                                              "Service/microchat-operator-metrics",
                                              "Deployment/microchat-operator")));
        for (HasMetadata object : objects) {
            Map<String, String> labels = object.getMetadata().getLabels();
            assertThat(kinds(List.of(object)) + " labels", labels, hasEntry("app.kubernetes.io/part-of", "microchat"));
            assertThat(labels, hasEntry("app.kubernetes.io/name", "microchat-operator"));
            assertThat(labels, hasEntry("app.kubernetes.io/instance", "microchat"));
            assertThat(labels, hasEntry("app.kubernetes.io/version", "0.1.0"));
            assertThat(labels, hasEntry("app.kubernetes.io/managed-by", "Helm"));
            assertThat(labels, hasEntry("helm.sh/chart", "microchat-0.1.0"));
        }
        Deployment operator = find(objects, "Deployment", "microchat-operator");
        var container = operator.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat("image tag defaults to the appVersion", container.getImage(), is("microchat/operator:0.1.0"));
        assertThat(env(container, "MICROCHAT_CHAT_IMAGE"), is("microchat/chat:0.1.0"));
        assertThat(container.getEnv().getFirst().getValueFrom().getFieldRef().getFieldPath(), is("metadata.namespace"));
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem(), is(true));
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation(), is(false));
        assertThat(operator.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), is(true));
        assertThat(container.getReadinessProbe().getHttpGet().getPath(), is("/readyz"));
        assertThat(container.getLivenessProbe().getHttpGet().getPath(), is("/healthz"));
        assertThat(container.getResources().getLimits(), hasKey("memory"));
        assertThat(operator.getSpec().getReplicas(), is(2));
        assertThat(env(container, "MICROCHAT_IMAGE_PULL_SECRETS"), is((String) null));
    }

    @Test
    void everyVariableTheChartGivesTheOperatorIsOneItReads() throws IOException {
        String operatorSource;
        try (var files = Files.walk(ROOT.resolve("operator/src/main/java"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file));
            }
            operatorSource = all.toString();
        }
        Deployment operator = find(render(template().withValuesFile(EVERYTHING)), "Deployment", "microchat-operator");
        List<String> names = operator.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .map(io.fabric8.kubernetes.api.model.EnvVar::getName).toList();
        assertThat(names, hasItem("MICROCHAT_IMAGE_PULL_SECRETS"));
        for (String name : names) {
            assertThat(name + " is set by the chart but never read by the operator", operatorSource,
                       containsString("\"" + name + "\""));
        }
    }

    @Test
    void everythingSwitchedOn() throws IOException {
        List<HasMetadata> objects = render(template().withValuesFile(EVERYTHING));
        Deployment operator = find(objects, "Deployment", "microchat-operator");
        var pod = operator.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().getFirst().getImage(), is("registry.example.com/microchat/operator:9.9.9"));
        assertThat(pod.getContainers().getFirst().getImagePullPolicy(), is("Always"));
        assertThat(env(pod.getContainers().getFirst(), "MICROCHAT_AUTH_IMAGE"), is("registry.example.com/microchat/auth:9.9.9"));
        assertThat(pod.getImagePullSecrets().getFirst().getName(), is("regcred"));
        assertThat("the pull secrets are every MicroChat's default", env(pod.getContainers().getFirst(),
                                                                         "MICROCHAT_IMAGE_PULL_SECRETS"), is("regcred"));
        assertThat("the ServiceMonitor labels are every MicroChat's default", env(pod.getContainers().getFirst(),
                   "MICROCHAT_SERVICE_MONITOR_LABELS"), is("release=prometheus"));
        assertThat(pod.getNodeSelector(), hasEntry("kubernetes.io/os", "linux"));
        assertThat(operator.getSpec().getTemplate().getMetadata().getLabels(), hasEntry("team", "chat"));
        assertThat(operator.getSpec().getReplicas(), is(3));

        GenericKubernetesResource microchat = find(objects, "MicroChat", "chat");
        assertThat(microchat.getApiVersion(), is("microchat.io/v1alpha1"));
        JsonNode spec = JSON.valueToTree(microchat.getAdditionalProperties().get("spec"));
        assertThat("the autoscaler owns the replicas", spec.at("/chat").has("replicas"), is(false));
        assertThat(spec.at("/ingress/host").asText(), is("chat.example.com"));

        GenericKubernetesResource serviceMonitor = find(objects, "ServiceMonitor", "microchat-operator");
        assertThat(serviceMonitor.getMetadata().getLabels(), hasEntry("release", "prometheus"));
        JsonNode endpoint = JSON.valueToTree(serviceMonitor.getAdditionalProperties().get("spec")).at("/endpoints/0");
        assertThat(endpoint.get("path").asText(), is("/metrics"));
        assertThat(endpoint.get("interval").asText(), is("15s"));

        GenericKubernetesResource rule = find(objects, "PrometheusRule", "microchat-operator");
        JsonNode rules = JSON.valueToTree(rule.getAdditionalProperties().get("spec")).at("/groups/0/rules");
        List<String> alerts = new ArrayList<>();
        rules.forEach(r -> alerts.add(r.get("alert").asText()));
        assertThat(alerts, is(List.of("MicroChatChatPodsNotReady", "MicroChatDeliverySlow", "MicroChatRedisUnreachable",
                                      "MicroChatMongoDbUnreachable", "MicroChatMessagesFailing",
                                      "MicroChatOperatorReconcileFailing")));
        assertThat(rules.get(1).get("expr").asText(), containsString("> 0.1"));
        assertThat("Prometheus templating survives Helm", rules.get(0).at("/annotations/summary").asText(),
                   containsString("{{ $labels.namespace }}"));

        ConfigMap dashboard = find(objects, "ConfigMap", "microchat-operator-dashboard");
        assertThat(dashboard.getMetadata().getLabels(), hasEntry("grafana_dashboard", "1"));
        JsonNode json = JSON.readTree(dashboard.getData().get("microchat.json"));
        assertThat(json.get("title").asText(), is("MicroChat"));
        assertThat(json, is(JSON.readTree(CHART.resolve("dashboards/microchat.json").toFile())));
    }

    @Test
    void watchingChosenNamespacesGrantsRightsOnlyThere() {
        List<HasMetadata> objects = render(template().set("operator.watchNamespaces[0]", "team-a")
                                                   .set("operator.watchNamespaces[1]", "team-b"));
        assertThat(kinds(objects), not(hasItem("ClusterRole/microchat-operator")));
        List<String> roleNamespaces = objects.stream()
                .filter(o -> o.getKind().equals("Role") && o.getMetadata().getName().equals("microchat-operator"))
                .map(o -> o.getMetadata().getNamespace()).toList();
        assertThat(roleNamespaces, is(List.of("team-a", "team-b")));
        Deployment operator = find(objects, "Deployment", "microchat-operator");
        assertThat(env(operator.getSpec().getTemplate().getSpec().getContainers().getFirst(), "WATCH_NAMESPACES"),
                   is("team-a,team-b"));
    }

    @Test
    void twoOperatorsWithoutLeaderElectionAreRefused() {
        Exception refused = assertThrows(Exception.class, () -> template().set("operator.leaderElection", false).call());
        assertThat(refused.getMessage(), containsString("operator.replicas > 1 needs operator.leaderElection"));
    }

    @Test
    void theOperatorsPodsTakeConnectionsOnlyOnTheirMetricsPort() {
        var policy = (io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy) find(render(template()),
                                                                                       "NetworkPolicy", "microchat-operator");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels(), hasEntry("app.kubernetes.io/name", "microchat-operator"));
        assertThat(policy.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal(), is(8080));
        assertThat(policy.getSpec().getIngress().getFirst().getFrom(), empty());
        assertThat(kinds(render(template().set("operator.networkPolicy", false))),
                   not(hasItem("NetworkPolicy/microchat-operator")));
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseRole() {
        List<HasMetadata> objects = render(template().set("operator.leaderElection", false)
                                                   .set("operator.replicas", 1));
        assertThat(kinds(objects), not(hasItem("Role/microchat-operator-leader-election")));
        Deployment operator = find(objects, "Deployment", "microchat-operator");
        assertThat(env(operator.getSpec().getTemplate().getSpec().getContainers().getFirst(), "LEADER_ELECTION"),
                   is("false"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "operator.replicas|two",
            "operator.replicas|0",
            "operator.replica|3",
            "images.pullPolicy|Sometimes",
            "images.registry|registry.example.com",
            "instance.name|Bad_Name",
            "monitoring.serviceMonitor.interval|often",
            "rbac.create|maybe",
            "unknownTopLevelKey|x"})
    void wrongValuesAreRefusedByTheSchema(String key, String value) {
        Object typed = value.matches("-?\\d+") ? Integer.valueOf(value) : value;
        Exception refused = assertThrows(Exception.class, () -> template().set(key, typed).call());
        assertThat(refused.getMessage(), containsString("values don't meet the specifications of the schema"));
    }

    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean isKey = line.matches("^\\s*[A-Za-z][A-Za-z0-9]*:.*") && !line.trim().startsWith("#");
            boolean nested = i > 0 && lines.get(i - 1).matches("^\\s*(requests|limits):\\s*$");
            boolean underResources = line.matches("^\\s+(cpu|memory|requests|limits):.*");
            if (isKey && !nested && !underResources) {
                assertThat("values.yaml line " + (i + 1) + " has no comment: " + line, lines.get(i - 1).trim(),
                           startsWith("#"));
            }
        }
    }

    @Test
    void theChartShipsTheGeneratedCrd() throws IOException {
        assertThat(Files.readString(CHART.resolve("files/microchats.microchat.io-v1.yml")),
                   is(Files.readString(ROOT.resolve("k8s/crd/microchats.microchat.io-v1.yml"))));
    }

    @Test
    void dashboardAndAlertsUseOnlyMicroChatMetrics() throws IOException {
        Set<String> names = metricNames();
        assertThat(names, not(empty()));
        assertThat(names, everyItem(org.hamcrest.Matchers.matchesPattern(
                "(chat|auth|microchat|operator_sdk)_[a-z_]+")));
        JsonNode dashboard = JSON.readTree(CHART.resolve("dashboards/microchat.json").toFile());
        assertThat(dashboard.get("panels").size(), is(10));
    }

    /** Every metric name the dashboard and the alerts query. */
    static Set<String> metricNames() throws IOException {
        String text = Files.readString(CHART.resolve("dashboards/microchat.json"))
                      + Files.readString(CHART.resolve("files/prometheus-rules.yaml"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\b((?:chat|auth|microchat|operator_sdk)_[a-z_]+)\\b\\s*[{\\[(]").matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String env(io.fabric8.kubernetes.api.model.Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(io.fabric8.kubernetes.api.model.EnvVar::getValue).orElse(null);
    }
}
