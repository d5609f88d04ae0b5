package io.microchat.operator.dependent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
 * The chat service's Deployment. Its replicas follow {@code spec.chat.replicas} (which the scale subresource and
 * an autoscaler set); changing them does not touch the pod template, so no pod restarts. Pods get time to drain:
 * a preStop pause lets endpoints drop the pod before SIGTERM, and the grace period covers the drain. By default the
 * pods spread across nodes and zones ({@code spec.chat.placement} replaces that).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ChatDeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, MicroChat> {

    public static final String COMPONENT = "chat";
    public static final int PORT = 8082;
    static final long GRACE_SECONDS = 45;

    public ChatDeploymentDependentResource() {
        super(Deployment.class);
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
        var spec = mc.getSpec().chat;
        List<EnvVar> env = environment(mc);
        String image = spec.image != null ? spec.image : defaults.chatImage();
        Container container = new ContainerBuilder(
                Workloads.serviceContainer(COMPONENT, image, PORT, env, spec.resources, List.of()))
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "-c", "sleep 5")
                .endExec().endPreStop().endLifecycle()
                .build();
        PodSpec pod = new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(GRACE_SECONDS)
                .withSecurityContext(Workloads.restrictedPod(Workloads.SERVICE_USER))
                .withContainers(container)
                .addToVolumes(Workloads.emptyDir("tmp"))
                .withTopologySpreadConstraints(PodPlacement.spreadAcrossNodesAndZones(mc, COMPONENT))
                .build();
        return Workloads.deployment(mc, Names.chat(mc), COMPONENT, spec.replicas, pod, spec.placement, defaults);
    }

    /**
     * The chat container's environment: what the operator sets, then the spec's own variables.
     *
     * @param mc the MicroChat
     * @return the variables
     */
    public static List<EnvVar> environment(MicroChat mc) {
        List<EnvVar> env = new ArrayList<>(List.of(
                Workloads.env("PORT", String.valueOf(PORT)),
                Workloads.env("AUTH_JWKS_URL", "http://" + Names.auth(mc) + ":" + AuthDeploymentDependentResource.PORT
                                               + "/api/auth/jwks"),
                Workloads.env("APP_DRAIN_TIMEOUT", "PT25S")));
        env.addAll(DataStores.mongoEnv(mc));
        env.addAll(DataStores.redisEnv(mc));
        if (mc.getSpec().ingress != null) {
            env.add(Workloads.env("ALLOWED_ORIGINS", IngressDependentResource.hosts(mc.getSpec().ingress).stream()
                    .map(host -> "https://" + host + ",http://" + host).collect(Collectors.joining(","))));
        }
        env.addAll(mc.getSpec().chat.env);
        return env;
    }
}
