package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** The chat pods accept connections on their HTTP port only. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ChatNetworkPolicyDependentResource extends CRUDKubernetesDependentResource<NetworkPolicy, MicroChat> {

    public ChatNetworkPolicyDependentResource() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(MicroChat mc, Context<MicroChat> context) {
        return DataStoreNetworkPolicies.onlyTheHttpPort(mc, Names.chat(mc), ChatDeploymentDependentResource.COMPONENT,
                                                       ChatDeploymentDependentResource.PORT);
    }
}
