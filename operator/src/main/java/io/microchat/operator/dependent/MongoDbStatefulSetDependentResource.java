package io.microchat.operator.dependent;

import java.util.Map;

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
import io.microchat.operator.PodPlacement;
import io.microchat.operator.Workloads;
import io.microchat.operator.api.MicroChat;

/**
 * The managed MongoDB: a StatefulSet with a headless Service and a volume claim per pod, so data survives pod
 * restarts. The claims are not owned by the MicroChat: deleting it keeps the data, on purpose. The claim template
 * is the one the StatefulSet was created with (it is immutable); size changes go to the claims themselves.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class MongoDbStatefulSetDependentResource extends CRUDKubernetesDependentResource<StatefulSet, MicroChat> {

    public static final String COMPONENT = "mongodb";
    static final long MONGODB_USER = 999L;

    public MongoDbStatefulSetDependentResource() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(MicroChat mc, Context<MicroChat> context) {
        var spec = mc.getSpec().mongodb;
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withMetadata(Labels.metadata(mc, Names.mongodb(mc), COMPONENT))
                .withNewSpec()
                .withServiceName(Names.mongodb(mc))
                .withReplicas(1)
                .withNewSelector().withMatchLabels(Labels.selector(mc, COMPONENT)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.selector(mc, COMPONENT)).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(30L)
                .withSecurityContext(Workloads.restrictedPod(MONGODB_USER))
                .addNewContainer()
                .withName(COMPONENT)
                .withImage(spec.image)
                .withArgs("--bind_ip_all")
                .addNewPort().withName("mongodb").withContainerPort(DataStores.MONGODB_PORT).endPort()
                .withResources(spec.resources != null ? spec.resources
                                       : Workloads.resources("250m", "512Mi", "2", "2Gi"))
                .withStartupProbe(Workloads.tcpProbe("mongodb", 5, 5))
                .withLivenessProbe(Workloads.tcpProbe("mongodb", 0, 10))
                .withReadinessProbe(Workloads.tcpProbe("mongodb", 0, 5))
                .withSecurityContext(Workloads.restrictedContainer(true))
                .addToVolumeMounts(Workloads.mount("data", "/data/db", false),
                                   Workloads.mount("tmp", "/tmp", false))
                .endContainer()
                .addToVolumes(Workloads.emptyDir("tmp"))
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata().withName("data").withLabels(Labels.selector(mc, COMPONENT)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(spec.storageClassName)
                .withNewResources().withRequests(Map.of("storage", new Quantity(spec.storageSize))).endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();
        PodPlacement.apply(mc, spec.placement, statefulSet.getSpec().getTemplate());
        if (context != null) {
            getSecondaryResource(mc, context).ifPresent(existing -> keepClaimTemplates(statefulSet, existing));
        }
        return statefulSet;
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
}
