package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/** The auth service's Service (also what the ServiceMonitor scrapes). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthServiceDependentResource extends CRUDKubernetesDependentResource<Service, MicroChat> {

    public AuthServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected Service desired(MicroChat mc, Context<MicroChat> context) {
        return Services.clusterIp(mc, Names.auth(mc), AuthDeploymentDependentResource.COMPONENT, "http", AuthDeploymentDependentResource.PORT, true);
    }
}
