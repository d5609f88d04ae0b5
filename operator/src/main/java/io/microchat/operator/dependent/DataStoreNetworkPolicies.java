package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.microchat.operator.Labels;
import io.microchat.operator.api.MicroChat;

/**
 * Who may reach a MicroChat's pods: a managed data store only from this MicroChat's auth and chat pods, on its one
 * port; auth and chat only on their HTTP port (from anywhere: the ingress controller and Prometheus live in
 * namespaces the operator cannot know; the kubelet's probes are not subject to NetworkPolicy).
 */
final class DataStoreNetworkPolicies {

    static NetworkPolicy onlyTheHttpPort(MicroChat mc, String name, String component, int port) {
        return new NetworkPolicyBuilder()
                .withMetadata(Labels.metadata(mc, name, component))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(mc, component)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewPort().withProtocol("TCP").withNewPort(port).endPort()
                .endIngress()
                .endSpec()
                .build();
    }

    private DataStoreNetworkPolicies() {
    }

    static NetworkPolicy onlyMicroChatPods(MicroChat mc, String name, String component, int port) {
        return new NetworkPolicyBuilder()
                .withMetadata(Labels.metadata(mc, name, component))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(mc, component)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector()
                .addToMatchLabels(Labels.INSTANCE, mc.getMetadata().getName())
                .addToMatchLabels(Labels.NAME, "microchat")
                .addNewMatchExpression().withKey(Labels.COMPONENT).withOperator("In")
                .withValues(AuthDeploymentDependentResource.COMPONENT, ChatDeploymentDependentResource.COMPONENT)
                .endMatchExpression()
                .endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withNewPort(port).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
