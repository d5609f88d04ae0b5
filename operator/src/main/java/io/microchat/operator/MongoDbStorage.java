package io.microchat.operator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;

/**
 * Applies {@code spec.mongodb.storageSize} and {@code storageClassName} to volumes that exist, as
 * {@link StorageChange} decides: expands the claims when their class allows it, otherwise reports the refused
 * change (the reconciler puts it in the status); the StatefulSet keeps its immutable claim template either way.
 */
final class MongoDbStorage {

    static final String CLAIM_TEMPLATE = "data";
    private static final Logger LOGGER = Logger.getLogger(MongoDbStorage.class.getName());

    private MongoDbStorage() {
    }

    /**
     * @param mc          the MicroChat
     * @param client      the client
     * @param statefulSet the managed MongoDB's StatefulSet as last seen
     * @return the refused change in words, or null
     */
    static String reconcile(MicroChat mc, KubernetesClient client, Optional<StatefulSet> statefulSet) {
        var spec = mc.getSpec().mongodb;
        if (spec.mode != DataStoreMode.Managed || statefulSet.isEmpty()) {
            return null;
        }
        var templates = statefulSet.get().getSpec().getVolumeClaimTemplates();
        String templateClass = templates.isEmpty() ? null : templates.getFirst().getSpec().getStorageClassName();
        String prefix = CLAIM_TEMPLATE + "-" + statefulSet.get().getMetadata().getName() + "-";
        String namespace = mc.getMetadata().getNamespace();
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(namespace)
                .withLabels(Labels.selector(mc, "mongodb")).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith(prefix)).toList();
        StorageChange change = StorageChange.decide(spec.storageSize, spec.storageClassName, templateClass, claims,
                                                    expansionAllowed(client, claims, templateClass));
        switch (change.action()) {
            case EXPAND -> {
                for (String claim : change.claims()) {
                    client.persistentVolumeClaims().inNamespace(namespace).withName(claim).edit(pvc -> {
                        pvc.getSpec().getResources().setRequests(Map.of("storage", new Quantity(spec.storageSize)));
                        return pvc;
                    });
                }
                String message = "Expanding " + String.join(", ", change.claims()) + " to " + spec.storageSize;
                LOGGER.info(() -> namespace + "/" + mc.getMetadata().getName() + ": " + message);
                OperatorEvents.record(client, mc, OperatorEvents.NORMAL, "VolumeExpansion", message);
                return null;
            }
            case REFUSE -> {
                return change.message();
            }
            default -> {
                return null;
            }
        }
    }

    private static Boolean expansionAllowed(KubernetesClient client, List<PersistentVolumeClaim> claims,
                                            String templateClass) {
        String name = claims.stream().map(c -> c.getSpec().getStorageClassName()).filter(n -> n != null)
                .findFirst().orElse(templateClass);
        if (name == null) {
            return null;
        }
        try {
            StorageClass storageClass = client.storage().v1().storageClasses().withName(name).get();
            return storageClass == null ? null : storageClass.getAllowVolumeExpansion();
        } catch (KubernetesClientException e) {
            LOGGER.warning(() -> "cannot read StorageClass " + name + ": " + e.getMessage());
            return null;
        }
    }
}
