package io.microchat.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.ServiceMonitors;
import io.microchat.operator.ServiceMonitors.ServiceMonitor;
import io.microchat.operator.api.MicroChat;

/**
 * The Prometheus Operator ServiceMonitor of a MicroChat ({@link ServiceMonitors}). The kind exists only on clusters
 * with that operator, so the workflow activates this dependent only where it does
 * ({@link Conditions.ServiceMonitorKindExists}): elsewhere nothing watches the kind. Where it exists, the
 * ServiceMonitor is there while {@code spec.monitoring.serviceMonitor} is on and deleted when it is turned off.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServiceMonitorDependentResource extends CRUDKubernetesDependentResource<ServiceMonitor, MicroChat> {

    public ServiceMonitorDependentResource() {
        super(ServiceMonitor.class);
    }

    @Override
    protected ServiceMonitor desired(MicroChat mc, Context<MicroChat> context) {
        return ServiceMonitors.desired(mc, OperatorDefaults.of(context).serviceMonitorLabels());
    }
}
