package io.microchat.operator.dependent;

import java.util.List;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.microchat.operator.Labels;
import io.microchat.operator.api.MicroChat;

/**
 * Who may reach a MicroChat's pods: a managed data store only from this MicroChat's auth and chat pods, on its one
 * port; auth and chat only on their HTTP port (from anywhere: the ingress controller and Prometheus live in
 * namespaces the operator cannot know; the kubelet's probes are not subject to NetworkPolicy).
 */
final class DataStoreNetworkPolicies {

    private DataStoreNetworkPolicies() {
    }

    static NetworkPolicy onlyTheHttpPort(MicroChat mc, String name, String component, int port) {
        return onlyPort(mc, name, component, port, List.of());
    }

    static NetworkPolicy onlyMicroChatPods(MicroChat mc, String name, String component, int port) {
        LabelSelector microChatPods = new LabelSelectorBuilder()
                .addToMatchLabels(Labels.INSTANCE, mc.getMetadata().getName())
                .addToMatchLabels(Labels.NAME, "microchat")
                .addNewMatchExpression().withKey(Labels.COMPONENT).withOperator("In")
                .withValues(AuthDeploymentDependentResource.COMPONENT, ChatDeploymentDependentResource.COMPONENT)
                .endMatchExpression()
                .build();
        return onlyPort(mc, name, component, port,
                        List.of(new NetworkPolicyPeerBuilder().withPodSelector(microChatPods).build()));
    }

    /** A component's pods take connections on one port only, from the given peers (none: from anywhere). */
    private static NetworkPolicy onlyPort(MicroChat mc, String name, String component, int port,
                                          List<NetworkPolicyPeer> from) {
        return new NetworkPolicyBuilder()
                .withMetadata(Labels.metadata(mc, name, component))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(mc, component)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .withFrom(from.isEmpty() ? null : from)
                .addNewPort().withProtocol("TCP").withNewPort(port).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
