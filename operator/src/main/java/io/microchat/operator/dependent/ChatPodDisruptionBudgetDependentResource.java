package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** Voluntary disruptions (node drains) take at most one chat pod at a time; its clients move to the others. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ChatPodDisruptionBudgetDependentResource
        extends CRUDKubernetesDependentResource<PodDisruptionBudget, MicroChat> {

    public ChatPodDisruptionBudgetDependentResource() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(MicroChat mc, Context<MicroChat> context) {
        return DisruptionBudgets.oneAtATime(mc, Names.chat(mc), ChatDeploymentDependentResource.COMPONENT);
    }
}
