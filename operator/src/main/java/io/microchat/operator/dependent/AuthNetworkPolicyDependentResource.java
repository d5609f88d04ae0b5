package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** The auth pods accept connections on their HTTP port only. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthNetworkPolicyDependentResource extends CRUDKubernetesDependentResource<NetworkPolicy, MicroChat> {

    public AuthNetworkPolicyDependentResource() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(MicroChat mc, Context<MicroChat> context) {
        return DataStoreNetworkPolicies.onlyTheHttpPort(mc, Names.auth(mc), AuthDeploymentDependentResource.COMPONENT,
                                                       AuthDeploymentDependentResource.PORT);
    }
}
