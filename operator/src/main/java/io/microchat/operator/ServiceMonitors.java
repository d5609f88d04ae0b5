package io.microchat.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.microchat.operator.api.MicroChat;

/**
 * The Prometheus Operator ServiceMonitor that scrapes {@code /observe/metrics} of the auth and chat Services.
 *
 * <p>Not a managed dependent: the kind exists only on clusters with Prometheus Operator, so the operator watches
 * nothing of it, and the reconciler applies or removes it explicitly on every reconcile.
 */
public final class ServiceMonitors {

    static final String API_VERSION = "monitoring.coreos.com/v1";
    static final String KIND = "ServiceMonitor";
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind(KIND).withPlural("servicemonitors")
            .withNamespaced(true).build();
    private static final Logger LOGGER = Logger.getLogger(ServiceMonitors.class.getName());

    private ServiceMonitors() {
    }

    /**
     * The ServiceMonitor of a MicroChat.
     *
     * @param mc the MicroChat
     * @return the object
     */
    public static GenericKubernetesResource desired(MicroChat mc) {
        return desired(mc, OperatorDefaults.serviceMonitorLabels());
    }

    /**
     * The ServiceMonitor of a MicroChat, with the operator's default labels under the spec's.
     *
     * @param mc            the MicroChat
     * @param defaultLabels the operator's default labels
     * @return the object
     */
    public static GenericKubernetesResource desired(MicroChat mc, Map<String, String> defaultLabels) {
        Map<String, Object> endpoint = Map.of("port", "http", "path", "/observe/metrics", "interval", "15s");
        var metadata = Labels.metadata(mc, Names.serviceMonitor(mc), "monitoring");
        Map<String, String> labels = new LinkedHashMap<>(defaultLabels);
        if (mc.getSpec().monitoring.labels != null) {
            labels.putAll(mc.getSpec().monitoring.labels);
        }
        labels.putAll(metadata.getLabels());
        metadata.setLabels(labels);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withMetadata(metadata)
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", Map.of(Labels.INSTANCE, mc.getMetadata().getName(),
                                                                 Labels.METRICS, "true")),
                        "endpoints", List.of(endpoint)))
                .build();
    }

    /**
     * Makes the cluster match {@code spec.monitoring.serviceMonitor}.
     *
     * @param mc     the MicroChat
     * @param client the client
     * @return a problem in words (monitoring asked for on a cluster without the kind), or null
     */
    static String reconcile(MicroChat mc, KubernetesClient client) {
        boolean wanted = mc.getSpec().monitoring.serviceMonitor;
        if (!client.supports(API_VERSION, KIND)) {
            return wanted ? "spec.monitoring.serviceMonitor is on, but this cluster has no ServiceMonitor kind "
                            + "(install the Prometheus Operator)" : null;
        }
        var existing = client.genericKubernetesResources(CONTEXT).inNamespace(mc.getMetadata().getNamespace())
                .withName(Names.serviceMonitor(mc));
        if (wanted) {
            GenericKubernetesResource desired = desired(mc);
            desired.addOwnerReference(mc);
            client.genericKubernetesResources(CONTEXT).resource(desired).createOr(current -> current.update());
        } else if (existing.get() != null) {
            LOGGER.info(() -> mc.getMetadata().getName() + ": monitoring off, removing the ServiceMonitor");
            existing.delete();
        }
        return null;
    }
}
