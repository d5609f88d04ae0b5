package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * Voluntary disruptions (node drains) take at most one MongoDB member at a time, so three members keep a majority
 * and a primary. (With one member, a drain takes MongoDB down: that is what a development set-up accepts.)
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbPodDisruptionBudgetDependentResource
        extends CRUDKubernetesDependentResource<PodDisruptionBudget, MicroChat> {

    public MongoDbPodDisruptionBudgetDependentResource() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(MicroChat mc, Context<MicroChat> context) {
        return DisruptionBudgets.oneAtATime(mc, Names.mongodb(mc), MongoDbStatefulSetDependentResource.COMPONENT);
    }
}
