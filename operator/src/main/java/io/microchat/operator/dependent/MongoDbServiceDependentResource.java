package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.DataStores;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * The managed MongoDB's headless Service, which gives each member's pod its stable name; it publishes pods that are
 * not ready too, since a member is not ready until it is in the replica set, and must be found to be added.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbServiceDependentResource extends CRUDKubernetesDependentResource<Service, MicroChat> {

    public MongoDbServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected Service desired(MicroChat mc, Context<MicroChat> context) {
        return Services.headless(mc, Names.mongodb(mc), MongoDbStatefulSetDependentResource.COMPONENT, "mongodb",
                                 DataStores.MONGODB_PORT);
    }
}
