package io.microchat.operator.dependent;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.microchat.operator.Labels;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.ServiceMonitors;
import io.microchat.operator.TestMicroChats;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.SecretKeyRef;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Every object the operator makes, built from a MicroChat without a cluster. */
class DesiredStateTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.release();

    private final MicroChat demo = TestMicroChats.minimal("demo", "chat");

    @Test
    void everyObjectCarriesTheStandardLabels() {
        for (var labels : List.of(new AuthDeploymentDependentResource().desired(demo, DEFAULTS).getMetadata().getLabels(),
                                  new ChatServiceDependentResource().desired(demo, null).getMetadata().getLabels(),
                                  new MongoDbStatefulSetDependentResource().desired(demo, DEFAULTS).getMetadata().getLabels(),
                                  new SigningKeySecretDependentResource().desired(demo, null).getMetadata().getLabels())) {
            assertThat(labels, hasEntry(Labels.NAME, "microchat"));
            assertThat(labels, hasEntry(Labels.INSTANCE, "demo"));
            assertThat(labels, hasEntry(Labels.PART_OF, "microchat"));
            assertThat(labels, hasEntry(Labels.MANAGED_BY, "microchat-operator"));
            assertThat(labels, hasEntry(Labels.VERSION, OperatorDefaults.version()));
            assertThat(labels.containsKey(Labels.COMPONENT), is(true));
        }
    }

    @Test
    void authDeployment() {
        Deployment d = new AuthDeploymentDependentResource().desired(demo, DEFAULTS);
        assertThat(d.getMetadata().getName(), is("demo-auth"));
        assertThat(d.getMetadata().getNamespace(), is("chat"));
        assertThat(d.getSpec().getReplicas(), is(2));
        assertThat(d.getSpec().getSelector().getMatchLabels(), is(Labels.selector(demo, "auth")));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels(), is(Labels.selector(demo, "auth")));
        Container c = container(d.getSpec().getTemplate().getSpec());
        assertThat(c.getImage(), is(DEFAULTS.authImage()));
        assertThat(c.getPorts().getFirst().getContainerPort(), is(8081));
        assertThat(env(c, "MONGODB_URI"), containsString("@demo-mongodb-0.demo-mongodb.chat.svc:27017,"));
        assertThat(env(c, "JWT_PRIVATE_KEY_FILE"), is("/etc/microchat/jwt/private.pem"));
        assertThat(env(c, "APP_JWT_LIFETIME"), is("PT15M"));
        assertThat("auth announces ended sessions on the same Redis as chat", env(c, "REDIS_URL"),
                   is("redis://:$(REDIS_PASSWORD)@demo-redis:6379"));
        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat("the password is defined before the URL that refers to it", names.indexOf("REDIS_PASSWORD"),
                   lessThan(names.indexOf("REDIS_URL")));
        assertThat(c.getEnv().get(names.indexOf("REDIS_PASSWORD")).getValueFrom().getSecretKeyRef().getName(),
                   is("demo-redis-password"));
        assertThat("no proxy in front without an ingress: X-Forwarded-For is not trusted", env(c, "APP_PROXY_HOPS"),
                   nullValue());
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                           .filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName(),
                   is("demo-jwt"));
        assertHardenedJvm(d.getSpec().getTemplate().getSpec(), c);
    }

    @Test
    void behindTheIngressAuthTrustsOneProxyHopUnlessTheSpecSaysOtherwise() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", "chat-tls");
        Container c = container(new AuthDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate()
                                        .getSpec());
        assertThat(env(c, "APP_PROXY_HOPS"), is("1"));

        mc.getSpec().auth.env = List.of(new EnvVar("APP_PROXY_HOPS", "2", null));
        List<EnvVar> env = AuthDeploymentDependentResource.environment(mc);
        assertThat("the spec's own variable comes last, so it is the one the container keeps",
                   env.stream().filter(e -> e.getName().equals("APP_PROXY_HOPS")).map(EnvVar::getValue).toList()
                           .getLast(), is("2"));
    }

    @Test
    void chatDeployment() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", "chat-tls");
        mc.getSpec().chat.replicas = 3;
        Deployment d = new ChatDeploymentDependentResource().desired(mc, DEFAULTS);
        assertThat(d.getMetadata().getName(), is("demo-chat"));
        assertThat(d.getSpec().getReplicas(), is(3));
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container c = container(pod);
        assertThat(c.getPorts().getFirst().getContainerPort(), is(8082));
        assertThat(env(c, "REDIS_URL"), is("redis://:$(REDIS_PASSWORD)@demo-redis:6379"));
        assertThat(env(c, "AUTH_JWKS_URL"), is("http://demo-auth:8081/api/auth/jwks"));
        assertThat(env(c, "ALLOWED_ORIGINS"), is("https://chat.example.com,http://chat.example.com"));
        assertThat("time to drain", pod.getTerminationGracePeriodSeconds(), is(45L));
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand(), contains("sh", "-c", "sleep 5"));
        assertThat("spread across nodes by default", pod.getTopologySpreadConstraints().getFirst().getTopologyKey(),
                   is("kubernetes.io/hostname"));
        assertHardenedJvm(pod, c);
    }

    @Test
    void extraEnvironmentAndResourcesFromTheSpec() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().chat.env.add(new EnvVar("JAVA_TOOL_OPTIONS", "-Xss512k", null));
        mc.getSpec().chat.image = "registry.example.com/microchat/chat:1.2.3";
        mc.getSpec().chat.resources = io.microchat.operator.Workloads.resources("2", "1Gi", "4", "2Gi");
        Container c = container(new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate().getSpec());
        assertThat(env(c, "JAVA_TOOL_OPTIONS"), is("-Xss512k"));
        assertThat(c.getImage(), is("registry.example.com/microchat/chat:1.2.3"));
        assertThat(c.getResources().getLimits().get("memory"), is(new Quantity("2Gi")));
    }

    @Test
    void changingOnlyReplicasLeavesThePodTemplateAloneButAnImageChangesIt() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        String before = Serialization.asJson(new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate());
        mc.getSpec().chat.replicas = 7;
        String scaled = Serialization.asJson(new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate());
        assertThat("no restart on scale", scaled, is(before));
        mc.getSpec().chat.image = "microchat/chat:next";
        String upgraded = Serialization.asJson(new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate());
        assertThat("an image change rolls the pods", upgraded, not(before));
    }

    @Test
    void externalDataStoresComeFromSecrets() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().redis.mode = DataStoreMode.External;
        mc.getSpec().redis.externalUrlSecret = new SecretKeyRef("redis-conn", "url");
        mc.getSpec().mongodb.mode = DataStoreMode.External;
        mc.getSpec().mongodb.externalUriSecret = new SecretKeyRef("mongo-conn", "uri");
        Container c = container(new ChatDeploymentDependentResource().desired(mc, DEFAULTS).getSpec().getTemplate().getSpec());
        EnvVar redis = c.getEnv().stream().filter(e -> e.getName().equals("REDIS_URL")).findFirst().orElseThrow();
        assertThat(redis.getValue(), nullValue());
        assertThat(redis.getValueFrom().getSecretKeyRef().getName(), is("redis-conn"));
        assertThat(redis.getValueFrom().getSecretKeyRef().getKey(), is("url"));
        EnvVar mongo = c.getEnv().stream().filter(e -> e.getName().equals("MONGODB_URI")).findFirst().orElseThrow();
        assertThat(mongo.getValueFrom().getSecretKeyRef().getName(), is("mongo-conn"));
    }

    @Test
    void servicesSelectTheirComponentAndMarkMetrics() {
        Service auth = new AuthServiceDependentResource().desired(demo, null);
        assertThat(auth.getSpec().getSelector(), is(Labels.selector(demo, "auth")));
        assertThat(auth.getSpec().getPorts().getFirst().getPort(), is(8081));
        assertThat(auth.getMetadata().getLabels(), hasEntry(Labels.METRICS, "true"));
        Service chat = new ChatServiceDependentResource().desired(demo, null);
        assertThat(chat.getSpec().getPorts().getFirst().getTargetPort().getStrVal(), is("http"));
        Service mongo = new MongoDbServiceDependentResource().desired(demo, null);
        assertThat("headless for the StatefulSet", mongo.getSpec().getClusterIP(), is("None"));
        Service redis = new RedisServiceDependentResource().desired(demo, null);
        assertThat(redis.getMetadata().getLabels().containsKey(Labels.METRICS), is(false));
    }

    @Test
    void chatDisruptionBudget() {
        var pdb = new ChatPodDisruptionBudgetDependentResource().desired(demo, null);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal(), is(1));
        assertThat(pdb.getSpec().getSelector().getMatchLabels(), is(Labels.selector(demo, "chat")));
    }

    @Test
    void managedRedisRunsAsNonRootWithNothingPersisted() {
        Deployment redis = new RedisDeploymentDependentResource().desired(demo, DEFAULTS);
        PodSpec pod = redis.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().getFirst();
        assertThat(c.getImage(), is("redis:7.2.5-alpine"));
        assertThat(c.getArgs(), hasItem("--appendonly"));
        assertThat(pod.getSecurityContext().getRunAsNonRoot(), is(true));
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem(), is(true));
        assertThat(c.getReadinessProbe().getTcpSocket().getPort().getStrVal(), is("redis"));
        assertThat(c.getResources().getLimits().containsKey("memory"), is(true));
    }

    @Test
    void managedMongoDbKeepsItsDataOnAVolumeClaim() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().mongodb.storageSize = "50Gi";
        mc.getSpec().mongodb.storageClassName = "fast-ssd";
        StatefulSet sts = new MongoDbStatefulSetDependentResource().desired(mc, DEFAULTS);
        assertThat(sts.getSpec().getServiceName(), is("demo-mongodb"));
        var claim = sts.getSpec().getVolumeClaimTemplates().getFirst();
        assertThat(claim.getSpec().getResources().getRequests().get("storage"), is(new Quantity("50Gi")));
        assertThat(claim.getSpec().getStorageClassName(), is("fast-ssd"));
        assertThat("the claim is not owned by anything, so it outlives the MicroChat",
                   claim.getMetadata().getOwnerReferences(), is(List.of()));
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data/db")), is(true));
        assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), is(true));
    }

    @Test
    void ingressRoutesEverythingThroughOneHostWithLongTimeouts() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", "chat-tls");
        Ingress ingress = new IngressDependentResource().desired(mc, null);
        assertThat(ingress.getSpec().getIngressClassName(), is("nginx"));
        var rule = ingress.getSpec().getRules().getFirst();
        assertThat(rule.getHost(), is("chat.example.com"));
        Map<String, String> backends = new java.util.LinkedHashMap<>();
        rule.getHttp().getPaths().forEach(p -> backends.put(p.getPath(), p.getBackend().getService().getName()));
        assertThat(backends, hasEntry("/api/auth", "demo-auth"));
        assertThat(backends, hasEntry("/ws", "demo-chat"));
        assertThat(backends, hasEntry("/", "demo-chat"));
        assertThat(ingress.getSpec().getTls().getFirst().getSecretName(), is("chat-tls"));
        assertThat(ingress.getMetadata().getAnnotations(),
                   hasEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600"));
    }

    @Test
    void autoscalerTargetsTheScaleSubresourceOfTheMicroChat() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().chat.autoscaling.enabled = true;
        mc.getSpec().chat.autoscaling.minReplicas = 3;
        mc.getSpec().chat.autoscaling.maxReplicas = 12;
        var hpa = new ChatAutoscalerDependentResource().desired(mc, null);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind(), is("MicroChat"));
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion(), is("microchat.io/v1alpha1"));
        assertThat(hpa.getSpec().getScaleTargetRef().getName(), is("demo"));
        assertThat(hpa.getSpec().getMinReplicas(), is(3));
        assertThat(hpa.getSpec().getMaxReplicas(), is(12));
        assertThat(hpa.getSpec().getMetrics().getFirst().getResource().getTarget().getAverageUtilization(), is(70));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorScrapesTheMetricsServices() {
        GenericKubernetesResource sm = ServiceMonitors.desired(demo, DEFAULTS.serviceMonitorLabels());
        assertThat(sm.getApiVersion(), is("monitoring.coreos.com/v1"));
        assertThat(sm.getKind(), is("ServiceMonitor"));
        Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
        Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(selector.get(Labels.METRICS), is("true"));
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).getFirst();
        assertThat(endpoint.get("path"), is("/observe/metrics"));
        assertThat(endpoint.get("port"), is("http"));
    }

    @Test
    void onlyMicroChatPodsReachTheDataStores() {
        NetworkPolicy redis = new RedisNetworkPolicyDependentResource().desired(demo, null);
        assertThat(redis.getSpec().getPodSelector().getMatchLabels(), is(Labels.selector(demo, "redis")));
        var from = redis.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector();
        assertThat(from.getMatchLabels(), hasEntry(Labels.INSTANCE, "demo"));
        assertThat(from.getMatchExpressions().getFirst().getValues(), containsInAnyOrder("auth", "chat"));
        assertThat(redis.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal(), is(6379));
        NetworkPolicy mongo = new MongoDbNetworkPolicyDependentResource().desired(demo, null);
        assertThat(mongo.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal(), is(27017));
        assertThat(mongo.getSpec().getPolicyTypes(), contains("Ingress"));
    }

    @Test
    void everyOwnedObjectNamesTheMicroChatAsItsController() {
        MicroChat mc = TestMicroChats.withIngress("demo", "chat", "chat.example.com", null);
        for (var object : List.of(new AuthDeploymentDependentResource().desired(mc, DEFAULTS),
                                  new ChatServiceDependentResource().desired(mc, null),
                                  new IngressDependentResource().desired(mc, null),
                                  new AuthPodDisruptionBudgetDependentResource().desired(mc, null),
                                  new MongoDbStatefulSetDependentResource().desired(mc, DEFAULTS),
                                  new SigningKeySecretDependentResource().desired(mc, null),
                                  ServiceMonitors.desired(mc, DEFAULTS.serviceMonitorLabels()))) {
            var owner = object.getMetadata().getOwnerReferences();
            assertThat(object.getKind(), owner.size(), is(1));
            assertThat(object.getKind(), owner.getFirst().getController(), is(true));
            assertThat(owner.getFirst().getBlockOwnerDeletion(), is(true));
            assertThat(owner.getFirst().getUid(), is("uid-demo"));
            assertThat(owner.getFirst().getKind(), is("MicroChat"));
        }
    }

    @Test
    void authHasADisruptionBudgetAndAuthAndChatTakeOnlyTheirHttpPort() {
        var pdb = new AuthPodDisruptionBudgetDependentResource().desired(demo, null);
        assertThat(pdb.getMetadata().getName(), is("demo-auth"));
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal(), is(1));
        assertThat(pdb.getSpec().getSelector().getMatchLabels(), is(Labels.selector(demo, "auth")));
        for (var policy : List.of(new AuthNetworkPolicyDependentResource().desired(demo, null),
                                  new ChatNetworkPolicyDependentResource().desired(demo, null))) {
            String component = policy.getMetadata().getLabels().get(Labels.COMPONENT);
            assertThat(policy.getSpec().getPodSelector().getMatchLabels(), is(Labels.selector(demo, component)));
            assertThat(policy.getSpec().getPolicyTypes(), contains("Ingress"));
            assertThat(policy.getSpec().getIngress().size(), is(1));
            var from = policy.getSpec().getIngress().getFirst().getFrom();
            assertThat("from anywhere", from == null || from.isEmpty(), is(true));
            assertThat(policy.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal(),
                       is(component.equals("auth") ? 8081 : 8082));
        }
    }

    @Test
    void anExistingStatefulSetKeepsItsImmutableClaimTemplate() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        StatefulSet existing = new MongoDbStatefulSetDependentResource().desired(mc, DEFAULTS);
        mc.getSpec().mongodb.storageSize = "50Gi";
        mc.getSpec().mongodb.storageClassName = "fast";
        StatefulSet desired = new MongoDbStatefulSetDependentResource().desired(mc, DEFAULTS);
        MongoDbStatefulSetDependentResource.keepClaimTemplates(desired, existing);
        assertThat(Serialization.asJson(desired.getSpec().getVolumeClaimTemplates()),
                   is(Serialization.asJson(existing.getSpec().getVolumeClaimTemplates())));
        assertThat(desired.getSpec().getVolumeClaimTemplates().getFirst().getSpec().getResources().getRequests()
                           .get("storage"), is(new Quantity("10Gi")));
    }

    @Test
    void signingKeySecretHoldsAnRsaPrivateKey() {
        var secret = new SigningKeySecretDependentResource().desired(demo, null);
        assertThat(secret.getMetadata().getName(), is("demo-jwt"));
        assertThat(secret.getStringData().get("private.pem"), containsString("-----BEGIN PRIVATE KEY-----"));
    }

    private static void assertHardenedJvm(PodSpec pod, Container c) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot(), is(true));
        assertThat(pod.getSecurityContext().getSeccompProfile().getType(), is("RuntimeDefault"));
        assertThat(pod.getAutomountServiceAccountToken(), is(false));
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem(), is(true));
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation(), is(false));
        assertThat(c.getSecurityContext().getCapabilities().getDrop(), contains("ALL"));
        assertThat(c.getLivenessProbe().getHttpGet().getPath(), is("/observe/health/live"));
        assertThat(c.getReadinessProbe().getHttpGet().getPath(), is("/observe/health/ready"));
        assertThat(c.getStartupProbe().getHttpGet().getPath(), is("/observe/health/live"));
        assertThat(c.getResources().getRequests().containsKey("memory"), is(true));
        assertThat(c.getResources().getLimits().containsKey("memory"), is(true));
        assertThat(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), is(true));
    }

    private static Container container(PodSpec pod) {
        return pod.getContainers().getFirst();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElse(null);
    }
}
