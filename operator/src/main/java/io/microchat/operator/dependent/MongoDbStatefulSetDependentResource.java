package io.microchat.operator.dependent;

import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
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
import io.microchat.operator.api.SecretKeyRef;

/**
 * The managed MongoDB replica set: a StatefulSet with a headless Service and a volume claim per member, so data
 * survives pod restarts. The claims are not owned by the MicroChat: deleting it keeps the data, on purpose. The
 * claim template is the one the StatefulSet was created with (it is immutable); size changes go to the claims
 * themselves ({@code MongoDbStorage}).
 *
 * <p>Each member runs {@code mongod --replSet <name> --keyFile ...}: the keyfile authenticates the members to each
 * other and turns on access control. On a member's first start the official image's entrypoint creates the root
 * user from the users Secret (members that join later get the users by initial sync); the operator then initiates
 * the replica set and adds and removes members itself ({@code ReplicaSets}). A pod is ready only while its member
 * is primary or secondary, so readiness reflects membership; the startup probe allows 15 minutes for journal
 * recovery after an unclean shutdown before liveness may restart the pod.
 *
 * <p>Pods start in parallel (the operator adds each member once it answers); on scale-down the StatefulSet keeps a
 * pod until the operator has removed its member from the replica set's configuration, so a majority is never lost
 * by removing pods first.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbStatefulSetDependentResource extends CRUDKubernetesDependentResource<StatefulSet, MicroChat> {

    public static final String COMPONENT = "mongodb";
    static final long MONGODB_USER = 999L;
    static final String KEYFILE_DIR = "/etc/mongodb-keyfile";
    static final String KEYFILE_SECRET_DIR = "/etc/mongodb-keyfile-secret";
    /** Readiness: this member is primary or secondary (not starting, recovering, removed or uninitiated). */
    static final String IS_MEMBER = "const h = db.hello(); if (!(h.isWritablePrimary || h.secondary)) { quit(1); }";

    public MongoDbStatefulSetDependentResource() {
        super(StatefulSet.class);
    }

    /**
     * Pods wanted: the spec's members, but never fewer than the replica set's configuration still lists, so that
     * a member is removed from the configuration before its pod goes.
     *
     * @param mc the MicroChat
     * @return the replicas
     */
    public static int replicas(MicroChat mc) {
        int configured = mc.getStatus() == null || mc.getStatus().replicaSet == null ? 0
                : mc.getStatus().replicaSet.members.size();
        return Math.max(mc.getSpec().mongodb.members, configured);
    }

    @Override
    protected StatefulSet desired(MicroChat mc, Context<MicroChat> context) {
        StatefulSet statefulSet = desired(mc, OperatorDefaults.of(context));
        existing(mc, context).ifPresent(existing -> keepClaimTemplates(statefulSet, existing));
        return statefulSet;
    }

    /**
     * The StatefulSet as a new one would be (an existing one keeps its claim templates, see
     * {@code keepClaimTemplates}).
     *
     * @param mc       the MicroChat
     * @param defaults the operator's defaults
     * @return the StatefulSet
     */
    StatefulSet desired(MicroChat mc, OperatorDefaults defaults) {
        var spec = mc.getSpec().mongodb;
        var selector = Labels.selector(mc, COMPONENT);
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withMetadata(Labels.metadata(mc, Names.mongodb(mc), COMPONENT))
                .withNewSpec()
                .withServiceName(Names.mongodb(mc))
                .withReplicas(replicas(mc))
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(selector).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(30L)
                .withSecurityContext(Workloads.restrictedPod(MONGODB_USER))
                .withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity()
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey("topology.kubernetes.io/zone")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .endTopologySpreadConstraint()
                .addNewInitContainer()
                .withName("keyfile")
                .withImage(spec.image)
                .withCommand("sh", "-c", "cp " + KEYFILE_SECRET_DIR + "/" + MongoDbKeyfileSecretDependentResource.KEY
                                         + " " + KEYFILE_DIR + "/keyfile && chmod 0400 " + KEYFILE_DIR + "/keyfile")
                .withResources(Workloads.resources("10m", "16Mi", "100m", "64Mi"))
                .withSecurityContext(Workloads.restrictedContainer(true))
                .addToVolumeMounts(Workloads.mount("keyfile-secret", KEYFILE_SECRET_DIR, true),
                                   Workloads.mount("keyfile", KEYFILE_DIR, false))
                .endInitContainer()
                .addNewContainer()
                .withName(COMPONENT)
                .withImage(spec.image)
                .withArgs("--replSet", spec.replicaSetName, "--bind_ip_all", "--keyFile", KEYFILE_DIR + "/keyfile")
                .withEnv(Workloads.envFromSecret("MONGO_INITDB_ROOT_USERNAME",
                                                 new SecretKeyRef(Names.mongodbUsers(mc),
                                                                  MongoDbUsersSecretDependentResource.ROOT_USERNAME)),
                         Workloads.envFromSecret("MONGO_INITDB_ROOT_PASSWORD",
                                                 new SecretKeyRef(Names.mongodbUsers(mc),
                                                                  MongoDbUsersSecretDependentResource.ROOT_PASSWORD)),
                         Workloads.env("HOME", "/tmp"))
                .addNewPort().withName("mongodb").withContainerPort(DataStores.MONGODB_PORT).endPort()
                .withResources(spec.resources != null ? spec.resources
                                       : Workloads.resources("250m", "512Mi", "2", "2Gi"))
                .withStartupProbe(mongosh("db.adminCommand('ping')", 10, 90))
                .withLivenessProbe(mongosh("db.adminCommand('ping')", 20, 6))
                .withReadinessProbe(mongosh(IS_MEMBER, 10, 3))
                .withSecurityContext(Workloads.restrictedContainer(true))
                .addToVolumeMounts(Workloads.mount("data", "/data/db", false),
                                   Workloads.mount("tmp", "/tmp", false),
                                   Workloads.mount("keyfile", KEYFILE_DIR, true))
                .endContainer()
                .addToVolumes(Workloads.emptyDir("tmp"))
                .addNewVolume().withName("keyfile").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewVolume().withName("keyfile-secret")
                .withNewSecret().withSecretName(Names.mongodbKeyfile(mc)).withDefaultMode(0440).endSecret()
                .endVolume()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata().withName("data").withLabels(selector).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(spec.storageClassName)
                .withNewResources().withRequests(Map.of("storage", new Quantity(spec.storageSize))).endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();
        PodPlacement.apply(mc, spec.placement, statefulSet.getSpec().getTemplate(), defaults);
        return statefulSet;
    }

    /**
     * The StatefulSet in the cluster, from the informer's cache by its name. Not {@code getSecondaryResource}: for a
     * Kubernetes dependent that finds its resource by the name of {@code desired()}, so calling it from
     * {@code desired()} recurses without end once the StatefulSet exists (a StackOverflowError that stopped every
     * later update of it, replicas included).
     *
     * @param mc      the MicroChat
     * @param context the reconcile's context
     * @return the StatefulSet, when it exists
     */
    static Optional<StatefulSet> existing(MicroChat mc, Context<MicroChat> context) {
        return context.getSecondaryResourcesAsStream(StatefulSet.class)
                .filter(s -> Names.mongodb(mc).equals(s.getMetadata().getName())
                             && mc.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
                .findFirst();
    }

    /**
     * A StatefulSet's volume claim templates cannot change (the API server refuses the update with 422): an existing
     * one keeps its own, and MongoDbStorage expands the claims or reports the change it cannot make.
     *
     * @param desired  the StatefulSet as the spec says
     * @param existing the StatefulSet in the cluster
     */
    static void keepClaimTemplates(StatefulSet desired, StatefulSet existing) {
        desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
    }

    /** A probe that runs a mongosh expression on the member itself (hello and ping need no credentials). */
    private static Probe mongosh(String expression, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec().withCommand("mongosh", "--quiet", "--norc", "--eval", expression).endExec()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(10)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
