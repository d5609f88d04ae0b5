package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.api.MicroChat;

/**
 * Chat autoscaling. The autoscaler targets the MicroChat's scale subresource, not the Deployment: it sets
 * {@code spec.chat.replicas}, and the operator stays the only writer of the Deployment.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ChatAutoscalerDependentResource
        extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, MicroChat> {

    public ChatAutoscalerDependentResource() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(MicroChat mc, Context<MicroChat> context) {
        var autoscaling = mc.getSpec().chat.autoscaling;
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(Labels.metadata(mc, Names.chat(mc), ChatDeploymentDependentResource.COMPONENT))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion(mc.getApiVersion())
                .withKind(mc.getKind())
                .withName(mc.getMetadata().getName())
                .endScaleTargetRef()
                .withMinReplicas(autoscaling.minReplicas)
                .withMaxReplicas(autoscaling.maxReplicas)
                .addNewMetric()
                .withType("Resource")
                .withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization")
                .withAverageUtilization(autoscaling.targetCPUUtilizationPercentage).endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build();
    }
}
