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
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.PodPlacement;
import io.microchat.operator.Workloads;
import io.microchat.operator.api.MicroChat;

/**
 * The managed Redis: one pod, nothing persisted (MicroChat keeps only presence and routing in Redis, and both
 * rebuild themselves after a restart). Clients authenticate with a password from a Secret; protected mode stays
 * on; {@code maxmemory} with policy {@code noeviction}: presence keys carry expiry times, so a {@code volatile-*}
 * policy would evict exactly them and show online users as offline, and an {@code allkeys-*} one could too; with
 * {@code noeviction} a full Redis refuses writes, which the chat service reports and its health shows, instead of
 * silently dropping presence. Pub/sub messages are not keys and are not evicted by any policy; slow subscribers are
 * bounded by Redis's default {@code client-output-buffer-limit pubsub 32mb 8mb 60}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RedisDeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, MicroChat> {

    public static final String COMPONENT = "redis";
    static final long REDIS_USER = 999L;

    public RedisDeploymentDependentResource() {
        super(Deployment.class);
    }

    /**
     * Redis's arguments. The password is {@code $(REDIS_PASSWORD)}, expanded by the kubelet from the Secret, so it
     * is in no object the API server stores (it is in the Redis process's arguments inside its own pod).
     *
     * @param mc the MicroChat
     * @return the arguments
     */
    static java.util.List<String> args(MicroChat mc) {
        return java.util.List.of("--save", "", "--appendonly", "no", "--protected-mode", "yes",
                                 "--requirepass", "$(REDIS_PASSWORD)",
                                 "--maxmemory", mc.getSpec().redis.maxMemory, "--maxmemory-policy", "noeviction");
    }

    @Override
    protected Deployment desired(MicroChat mc, Context<MicroChat> context) {
        return desired(mc, OperatorDefaults.of(context));
    }

    /**
     * The Deployment.
     *
     * @param mc       the MicroChat
     * @param defaults the operator's defaults
     * @return the Deployment
     */
    Deployment desired(MicroChat mc, OperatorDefaults defaults) {
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
                .withArgs(args(mc))
                .withEnv(Workloads.envFromSecret("REDIS_PASSWORD", DataStores.redisPassword(mc)))
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
        PodPlacement.apply(mc, spec.placement, deployment.getSpec().getTemplate(), defaults);
        return deployment;
    }
}
