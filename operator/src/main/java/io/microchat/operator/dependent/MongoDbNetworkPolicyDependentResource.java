package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.DataStores;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * Who reaches the managed MongoDB: this MicroChat's auth and chat pods, the replica set's own members (replication
 * and elections), and the MicroChat operator's pods in any namespace (it initiates and reconfigures the replica set
 * and creates the application user, as MongoDB's root user).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbNetworkPolicyDependentResource extends CRUDKubernetesDependentResource<NetworkPolicy, MicroChat> {

    /** The label value of the operator's pods ({@code app.kubernetes.io/name}), as the chart and manifests set it. */
    public static final String OPERATOR_POD_NAME = "microchat-operator";

    public MongoDbNetworkPolicyDependentResource() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(MicroChat mc, Context<MicroChat> context) {
        NetworkPolicy services = DataStoreNetworkPolicies.onlyMicroChatPods(
                mc, Names.mongodb(mc), MongoDbStatefulSetDependentResource.COMPONENT, DataStores.MONGODB_PORT);
        var rule = services.getSpec().getIngress().getFirst();
        rule.getFrom().add(new NetworkPolicyPeerBuilder().withNewPodSelector()
                                   .withMatchLabels(Labels.selector(mc, MongoDbStatefulSetDependentResource.COMPONENT))
                                   .endPodSelector().build());
        rule.getFrom().add(new NetworkPolicyPeerBuilder().withNewNamespaceSelector().endNamespaceSelector()
                                   .withNewPodSelector().addToMatchLabels(Labels.NAME, OPERATOR_POD_NAME)
                                   .endPodSelector().build());
        return new NetworkPolicyBuilder(services).build();
    }
}
