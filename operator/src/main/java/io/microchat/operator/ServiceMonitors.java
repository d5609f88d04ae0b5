package io.microchat.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.microchat.operator.api.MicroChat;

/**
 * The Prometheus Operator ServiceMonitor that scrapes {@code /observe/metrics} of the auth and chat Services: what it
 * holds. Its dependent ({@code ServiceMonitorDependentResource}) is active only where the cluster has the kind.
 */
public final class ServiceMonitors {

    public static final String GROUP = "monitoring.coreos.com";
    public static final String VERSION = "v1";
    public static final String KIND = "ServiceMonitor";
    public static final String PLURAL = "servicemonitors";
    static final String API_VERSION = GROUP + "/" + VERSION;
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural(PLURAL)
            .withNamespaced(true).build();

    private ServiceMonitors() {
    }

    /**
     * A ServiceMonitor, its body kept as generic properties. A class of its own, so that the dependent's informer
     * knows the kind's plural without asking the cluster (which, without the kind, could not answer).
     */
    @Group(GROUP)
    @Version(VERSION)
    @Kind(KIND)
    @Plural(PLURAL)
    public static final class ServiceMonitor extends GenericKubernetesResource implements Namespaced {
    }

    /**
     * Whether the cluster has the ServiceMonitor kind.
     *
     * @param client the client
     * @return true when it does
     */
    public static boolean kindExists(KubernetesClient client) {
        return client.supports(API_VERSION, KIND);
    }

    /**
     * The ServiceMonitor of a MicroChat, with the operator's default labels under the spec's.
     *
     * @param mc            the MicroChat
     * @param defaultLabels the operator's default labels
     * @return the object
     */
    public static ServiceMonitor desired(MicroChat mc, Map<String, String> defaultLabels) {
        Map<String, Object> endpoint = Map.of("port", "http", "path", "/observe/metrics", "interval", "15s");
        var metadata = Labels.metadata(mc, Names.serviceMonitor(mc), "monitoring");
        Map<String, String> labels = new LinkedHashMap<>(defaultLabels);
        if (mc.getSpec().monitoring.labels != null) {
            labels.putAll(mc.getSpec().monitoring.labels);
        }
        labels.putAll(metadata.getLabels());
        metadata.setLabels(labels);
        ServiceMonitor serviceMonitor = new ServiceMonitor();
        serviceMonitor.setApiVersion(API_VERSION);
        serviceMonitor.setKind(KIND);
        serviceMonitor.setMetadata(metadata);
        serviceMonitor.setAdditionalProperty("spec", Map.of(
                "selector", Map.of("matchLabels", Map.of(Labels.INSTANCE, mc.getMetadata().getName(),
                                                         Labels.METRICS, "true")),
                "endpoints", List.of(endpoint)));
        return serviceMonitor;
    }

    /**
     * What is wrong with the spec's monitoring on this cluster.
     *
     * @param mc     the MicroChat
     * @param client the client
     * @return a problem in words (monitoring asked for on a cluster without the kind), or null
     */
    static String problem(MicroChat mc, KubernetesClient client) {
        if (!mc.getSpec().monitoring.serviceMonitor || kindExists(client)) {
            return null;
        }
        return "spec.monitoring.serviceMonitor is on, but this cluster has no ServiceMonitor kind "
               + "(install the Prometheus Operator)";
    }
}
