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

/** The managed Redis's Service. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisServiceDependentResource extends CRUDKubernetesDependentResource<Service, MicroChat> {

    public RedisServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected Service desired(MicroChat mc, Context<MicroChat> context) {
        return Services.clusterIp(mc, Names.redis(mc), RedisDeploymentDependentResource.COMPONENT, "redis",
                                  DataStores.REDIS_PORT, false);
    }
}
