package io.microchat.operator.dependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.microchat.operator.Labels;
import io.microchat.operator.PodPlacement;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.ServiceMonitors;
import io.microchat.operator.TestMicroChats;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.PlacementSpec;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Pull secrets, placement, ingress exposure and monitoring labels, as a platform team sets them: every pod the
 * operator creates (auth, chat, MongoDB, Redis) carries them.
 */
class PlacementAndExposureTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.release();

    /** The pod templates of every workload the operator creates for a MicroChat. */
    static Map<String, PodTemplateSpec> podTemplates(MicroChat mc) {
        return Map.of("auth", new AuthDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate(),
                      "chat", new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate(),
                      "redis", new RedisDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate(),
                      "mongodb", new MongoDbStatefulSetDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate());
    }

    @Test
    void theSpecsPullSecretsReachEveryPod() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().imagePullSecrets = List.of(new LocalObjectReference("regcred"));
        podTemplates(mc).forEach((component, template) -> assertThat(
                component, template.getSpec().getImagePullSecrets(), contains(new LocalObjectReference("regcred"))));
    }

    @Test
    void theOperatorsDefaultAppliesOnlyWhenTheSpecNamesNone() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        assertThat(PodPlacement.imagePullSecrets(mc, List.of("default-cred")),
                   contains(new LocalObjectReference("default-cred")));
        mc.getSpec().imagePullSecrets = List.of();
        assertThat("an empty list means none", PodPlacement.imagePullSecrets(mc, List.of("default-cred")),
                   is(List.of()));
        mc.getSpec().imagePullSecrets = List.of(new LocalObjectReference("own"));
        assertThat(PodPlacement.imagePullSecrets(mc, List.of("default-cred")), contains(new LocalObjectReference("own")));
        assertThat("none at all: no empty list the API server would drop (and the matcher see as drift)",
                   podTemplates(TestMicroChats.minimal("demo", "chat")).get("chat").getSpec().getImagePullSecrets(),
                   nullValue());
    }

    @Test
    void eachComponentIsPlacedOnItsOwn() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().auth.placement = placement("auth-pool");
        mc.getSpec().chat.placement = placement("chat-pool");
        mc.getSpec().redis.placement = placement("redis-pool");
        mc.getSpec().mongodb.placement = placement("mongodb-pool");
        podTemplates(mc).forEach((component, template) -> {
            var pod = template.getSpec();
            assertThat(component, pod.getNodeSelector(), hasEntry("pool", component + "-pool"));
            assertThat(component, pod.getTolerations().getFirst().getValue(), is(component + "-pool"));
            assertThat(component, pod.getPriorityClassName(), is(component + "-pool"));
            assertThat(component, pod.getAffinity().getNodeAffinity(), not(nullValue()));
            assertThat(component, pod.getTopologySpreadConstraints().getFirst().getTopologyKey(),
                       is("zone-of-" + component + "-pool"));
            assertThat(component, template.getMetadata().getLabels(), hasEntry("team", component + "-pool"));
            assertThat("the operator's selector labels win", template.getMetadata().getLabels(),
                       hasEntry(Labels.COMPONENT, component));
            assertThat(component, template.getMetadata().getAnnotations(),
                       hasEntry("example.com/owner", component + "-pool"));
        });
    }

    @Test
    void chatPodsSpreadAcrossNodesAndZonesByDefaultAndOthersAreUntouched() {
        Map<String, PodTemplateSpec> templates = podTemplates(TestMicroChats.minimal("demo", "chat"));
        var spread = templates.get("chat").getSpec().getTopologySpreadConstraints();
        assertThat(spread.stream().map(c -> c.getTopologyKey()).toList(),
                   contains("kubernetes.io/hostname", "topology.kubernetes.io/zone"));
        assertThat("never blocks scheduling", spread.stream().map(c -> c.getWhenUnsatisfiable()).toList(),
                   everyItem(is("ScheduleAnyway")));
        assertThat(spread.getFirst().getLabelSelector().getMatchLabels(),
                   is(Labels.selector(TestMicroChats.minimal("demo", "chat"), "chat")));
        var auth = templates.get("auth").getSpec();
        assertThat(auth.getNodeSelector(), is(Map.of()));
        assertThat(auth.getPriorityClassName(), nullValue());
    }

    @Test
    void theIngressRoutesTheAppAndItsApisButNotObserve() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", "chat-tls");
        Ingress ingress = new IngressDependentResource().desired(mc, null);
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().getFirst().getHttp().getPaths();
        for (HTTPIngressPath path : paths) {
            assertThat(path.getPath() + " covers /observe", covers(path, "/observe/metrics"), is(false));
            assertThat(path.getPath() + " covers /observe/health", covers(path, "/observe/health/ready"), is(false));
        }
        for (String reached : List.of("/", "/index.html", "/css/app.css", "/js/main.js", "/ws", "/api/chat/config",
                                      "/api/auth/login", "/api/auth/jwks")) {
            assertThat(reached + " is routed", paths.stream().anyMatch(p -> covers(p, reached)), is(true));
        }
        assertThat(paths.stream().filter(p -> covers(p, "/api/auth/login")).findFirst().orElseThrow()
                           .getBackend().getService().getName(), is("demo-auth"));
    }

    @Test
    void everyFileOfTheBrowserAppIsRouted() throws java.io.IOException {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", null);
        List<HTTPIngressPath> paths = new IngressDependentResource().desired(mc, null).getSpec().getRules().getFirst()
                .getHttp().getPaths();
        java.nio.file.Path web = java.nio.file.Path.of(System.getProperty("microchat.root", ".."))
                .resolve("frontend/src/main/web");
        List<String> files = new ArrayList<>();
        try (var walk = java.nio.file.Files.walk(web)) {
            walk.filter(java.nio.file.Files::isRegularFile)
                    .forEach(f -> files.add("/" + web.relativize(f).toString().replace('\\', '/')));
        }
        assertThat(files, hasItem("/index.html"));
        for (String file : files) {
            assertThat(file + " is not routed by the Ingress", paths.stream().anyMatch(p -> covers(p, file)), is(true));
        }
    }

    @Test
    void ingressAnnotationsAndExtraHosts() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", "chat-tls");
        mc.getSpec().ingress.extraHosts = List.of("chat.example.org");
        mc.getSpec().ingress.annotations = Map.of("cert-manager.io/cluster-issuer", "letsencrypt",
                                                  "nginx.ingress.kubernetes.io/proxy-body-size", "2m");
        Ingress ingress = new IngressDependentResource().desired(mc, null);
        assertThat(ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList(),
                   contains("chat.example.com", "chat.example.org"));
        assertThat(ingress.getSpec().getRules().get(1).getHttp().getPaths(),
                   is(ingress.getSpec().getRules().get(0).getHttp().getPaths()));
        assertThat(ingress.getSpec().getTls().getFirst().getHosts(), contains("chat.example.com", "chat.example.org"));
        assertThat(ingress.getMetadata().getAnnotations(), hasEntry("cert-manager.io/cluster-issuer", "letsencrypt"));
        assertThat("the spec wins", ingress.getMetadata().getAnnotations(),
                   hasEntry("nginx.ingress.kubernetes.io/proxy-body-size", "2m"));
        assertThat(ingress.getMetadata().getAnnotations(),
                   hasEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600"));
        var chat = new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        String origins = chat.getEnv().stream().filter(e -> e.getName().equals("ALLOWED_ORIGINS")).findFirst()
                .orElseThrow().getValue();
        assertThat(List.of(origins.split(",")), containsInAnyOrder("https://chat.example.com", "http://chat.example.com",
                                                                   "https://chat.example.org", "http://chat.example.org"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorLabelsComeFromTheOperatorDefaultAndTheSpec() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().monitoring.labels = Map.of("team", "chat", "release", "kube-prometheus");
        GenericKubernetesResource sm = ServiceMonitors.desired(
                mc, Map.of("release", "prometheus", "tier", "apps"));
        Map<String, String> labels = sm.getMetadata().getLabels();
        assertThat("the spec wins over the default", labels, hasEntry("release", "kube-prometheus"));
        assertThat(labels, hasEntry("tier", "apps"));
        assertThat(labels, hasEntry("team", "chat"));
        assertThat("the operator's own labels stay", labels, hasEntry(Labels.MANAGED_BY, "microchat-operator"));
        assertThat(labels.get(Labels.INSTANCE), startsWith("demo"));
    }

    private static PlacementSpec placement(String pool) {
        PlacementSpec placement = new PlacementSpec();
        placement.nodeSelector = Map.of("pool", pool);
        placement.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withOperator("Equal")
                                                .withValue(pool).withEffect("NoSchedule").build());
        placement.affinity = new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("pool").withOperator("In").withValues(pool).endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        placement.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1).withTopologyKey("zone-of-" + pool).withWhenUnsatisfiable("DoNotSchedule").build());
        placement.priorityClassName = pool;
        placement.podLabels = Map.of("team", pool, Labels.COMPONENT, "overridden");
        placement.podAnnotations = Map.of("example.com/owner", pool);
        return placement;
    }

    /** Whether an Ingress path of type Exact or Prefix sends a request path to its backend. */
    static boolean covers(HTTPIngressPath path, String request) {
        if (path.getPathType().equals("Exact")) {
            return request.equals(path.getPath());
        }
        String prefix = path.getPath();
        return prefix.equals("/") || request.equals(prefix) || request.startsWith(prefix + "/");
    }
}
