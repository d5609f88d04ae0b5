package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** Node drains take at most one auth pod at a time, so logins and token refreshes keep working. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthPodDisruptionBudgetDependentResource
        extends CRUDKubernetesDependentResource<PodDisruptionBudget, MicroChat> {

    public AuthPodDisruptionBudgetDependentResource() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(MicroChat mc, Context<MicroChat> context) {
        return DisruptionBudgets.oneAtATime(mc, Names.auth(mc), AuthDeploymentDependentResource.COMPONENT);
    }
}
