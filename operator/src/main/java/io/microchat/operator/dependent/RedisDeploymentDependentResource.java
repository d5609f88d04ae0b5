package io.microchat.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.microchat.operator.DataStores;
import io.microchat.operator.Labels;
import io.microchat.operator.Names;
import io.microchat.operator.PodPlacement;
import io.microchat.operator.Workloads;
import io.microchat.operator.api.MicroChat;

/**
 * The managed Redis: one pod, nothing persisted (MicroChat keeps only presence and routing in Redis, and both
 * rebuild themselves after a restart).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisDeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, MicroChat> {

    public static final String COMPONENT = "redis";
    static final long REDIS_USER = 999L;

    public RedisDeploymentDependentResource() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(MicroChat mc, Context<MicroChat> context) {
        var spec = mc.getSpec().redis;
        Deployment deployment = new DeploymentBuilder()
                .withMetadata(Labels.metadata(mc, Names.redis(mc), COMPONENT))
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(Labels.selector(mc, COMPONENT)).endSelector()
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.selector(mc, COMPONENT)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(Workloads.restrictedPod(REDIS_USER))
                .addNewContainer()
                .withName(COMPONENT)
                .withImage(spec.image)
                .withArgs("--save", "", "--appendonly", "no", "--protected-mode", "no")
                .addNewPort().withName("redis").withContainerPort(DataStores.REDIS_PORT).endPort()
                .withResources(spec.resources != null ? spec.resources
                                       : Workloads.resources("50m", "64Mi", "1", "256Mi"))
                .withLivenessProbe(Workloads.tcpProbe("redis", 5, 10))
                .withReadinessProbe(Workloads.tcpProbe("redis", 2, 5))
                .withSecurityContext(Workloads.restrictedContainer(true))
                .addToVolumeMounts(Workloads.mount("data", "/data", false))
                .endContainer()
                .addToVolumes(Workloads.emptyDir("data"))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        PodPlacement.apply(mc, spec.placement, deployment.getSpec().getTemplate());
        return deployment;
    }
}
