package io.microchat.operator;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.PlacementSpec;
import io.microchat.operator.api.SecretKeyRef;

/**
 * The pieces every MicroChat workload shares: hardened security contexts, probes on the Helidon health endpoints,
 * a writable {@code /tmp} on a read-only root file system, resource defaults.
 */
public final class Workloads {

    /** The non-root user of the service images (JKube's Java base images run as 185). */
    public static final long SERVICE_USER = 185L;

    private Workloads() {
    }

    /**
     * A MicroChat JVM service container.
     *
     * @param name      container name
     * @param image     image
     * @param port      HTTP port (health and metrics too)
     * @param env       environment
     * @param resources requests and limits, or null for the defaults
     * @param mounts    more volume mounts beyond {@code /tmp}
     * @return the container
     */
    public static Container serviceContainer(String name, String image, int port, List<EnvVar> env,
                                             ResourceRequirements resources, List<VolumeMount> mounts) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withImagePullPolicy(image.endsWith(":latest") || image.endsWith("-SNAPSHOT") ? "Always" : "IfNotPresent")
                .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(env)
                .withResources(resources != null ? resources : resources("100m", "384Mi", "1", "512Mi"))
                .withStartupProbe(httpProbe("/observe/health/live", 2, 60))
                .withLivenessProbe(httpProbe("/observe/health/live", 10, 3))
                .withReadinessProbe(httpProbe("/observe/health/ready", 5, 2))
                .withSecurityContext(restrictedContainer(true))
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addAllToVolumeMounts(mounts)
                .build();
    }

    /**
     * A Deployment of one MicroChat component: standard labels, a selector on the component, rolling updates that
     * never go below the wanted pods, and the given pod.
     *
     * @param mc        the MicroChat
     * @param name      the Deployment's name
     * @param component the component
     * @param replicas  pods wanted
     * @param pod       the pod spec
     * @param placement the component's placement (with the pull secrets, see {@link PodPlacement}), or null
     * @param defaults  the operator's defaults
     * @return the Deployment
     */
    public static Deployment deployment(MicroChat mc, String name, String component, int replicas, PodSpec pod,
                                        PlacementSpec placement, OperatorDefaults defaults) {
        Deployment deployment = new DeploymentBuilder()
                .withMetadata(Labels.metadata(mc, name, component))
                .withNewSpec()
                .withReplicas(replicas)
                .withRevisionHistoryLimit(5)
                .withNewSelector().withMatchLabels(Labels.selector(mc, component)).endSelector()
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withNewMaxUnavailable(0).withNewMaxSurge(1).endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.selector(mc, component)).endMetadata()
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
        PodPlacement.apply(mc, placement, deployment.getSpec().getTemplate(), defaults);
        return deployment;
    }

    public static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    public static Probe tcpProbe(String port, int initialDelaySeconds, int periodSeconds) {
        return new ProbeBuilder()
                .withNewTcpSocket().withNewPort(port).endTcpSocket()
                .withInitialDelaySeconds(initialDelaySeconds)
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(3)
                .build();
    }

    public static SecurityContext restrictedContainer(boolean readOnlyRoot) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(readOnlyRoot)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    public static PodSecurityContext restrictedPod(long user) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(user)
                .withRunAsGroup(user)
                .withFsGroup(user)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    public static Volume emptyDir(String name) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
    }

    public static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }

    public static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit,
                                                 String memoryLimit) {
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity(cpuRequest), "memory", new Quantity(memoryRequest)))
                .withLimits(Map.of("cpu", new Quantity(cpuLimit), "memory", new Quantity(memoryLimit)))
                .build();
    }

    public static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    public static EnvVar envFromSecret(String name, SecretKeyRef ref) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(ref.name).withKey(ref.key).endSecretKeyRef()
                .endValueFrom().build();
    }
}
