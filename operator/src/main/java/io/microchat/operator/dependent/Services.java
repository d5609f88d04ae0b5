package io.microchat.operator.dependent;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.microchat.operator.Labels;
import io.microchat.operator.api.MicroChat;

/** The shape every MicroChat Service shares: one named port to the pods of one component. */
final class Services {

    private Services() {
    }

    static Service clusterIp(MicroChat mc, String name, String component, String portName, int port,
                             boolean exportsMetrics) {
        return build(mc, name, component, portName, port, exportsMetrics, false);
    }

    static Service headless(MicroChat mc, String name, String component, String portName, int port) {
        return build(mc, name, component, portName, port, false, true);
    }

    private static Service build(MicroChat mc, String name, String component, String portName, int port,
                                 boolean exportsMetrics, boolean headless) {
        Map<String, String> labels = Labels.of(mc, component);
        if (exportsMetrics) {
            labels.put(Labels.METRICS, "true");
        }
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(mc.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(Labels.owner(mc))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(headless ? "None" : null)
                // members find each other by name while they are not ready yet (not yet in the replica set)
                .withPublishNotReadyAddresses(headless ? Boolean.TRUE : null)
                .withSelector(Labels.selector(mc, component))
                .addNewPort().withName(portName).withPort(port).withNewTargetPort(portName).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
