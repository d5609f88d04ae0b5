package io.microchat.operator;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * What to do when {@code spec.mongodb.storageSize} or {@code storageClassName} no longer match the volumes. A
 * StatefulSet's volume claim templates cannot change (the API server answers 422), so the StatefulSet keeps the
 * template it was created with, and this decides, as a pure function of what was asked and what exists:
 * <ul>
 * <li>nothing, when every claim already has the size asked for;</li>
 * <li>expand the claims that are smaller, when their storage class allows volume expansion;</li>
 * <li>refuse, with a message for the status, otherwise: a new storage class, a smaller size, or a class that
 * cannot expand (moving the data is a migration the operator does not do).</li>
 * </ul>
 *
 * @param action  what to do
 * @param claims  the claims to expand (for {@link Action#EXPAND})
 * @param message why it is refused (for {@link Action#REFUSE})
 */
public record StorageChange(Action action, List<String> claims, String message) {

    /** What to do. */
    public enum Action {
        NONE, EXPAND, REFUSE
    }

    static final StorageChange NONE = new StorageChange(Action.NONE, List.of(), null);

    /**
     * Decides.
     *
     * @param size             the size asked for ({@code spec.mongodb.storageSize})
     * @param storageClass     the class asked for ({@code spec.mongodb.storageClassName}; null: the default)
     * @param templateClass    the class in the existing StatefulSet's claim template (null: the default)
     * @param claims           the existing claims of the StatefulSet's pods
     * @param expansionAllowed whether their storage class allows expansion (null: unknown, e.g. no such class)
     * @return the decision
     */
    public static StorageChange decide(String size, String storageClass, String templateClass,
                                       List<PersistentVolumeClaim> claims, Boolean expansionAllowed) {
        if (!Objects.equals(storageClass, templateClass)) {
            return refuse("spec.mongodb.storageClassName cannot change on existing volumes (from "
                          + describe(templateClass) + " to " + describe(storageClass)
                          + "); set it back, or move the data to a new MicroChat");
        }
        BigDecimal wanted = new Quantity(size).getNumericalAmount();
        List<String> smaller = claims.stream().filter(c -> requested(c).compareTo(wanted) < 0)
                .map(c -> c.getMetadata().getName()).sorted().toList();
        boolean larger = claims.stream().anyMatch(c -> requested(c).compareTo(wanted) > 0);
        if (larger) {
            return refuse("spec.mongodb.storageSize " + size + " is smaller than the volumes; volumes cannot shrink");
        }
        if (smaller.isEmpty()) {
            return NONE;
        }
        if (expansionAllowed == null) {
            return refuse("spec.mongodb.storageSize " + size + " needs the volumes expanded, but the operator cannot "
                          + "read their StorageClass (none, or no right to read it) to see whether it allows that");
        }
        if (!expansionAllowed) {
            return refuse("spec.mongodb.storageSize " + size + " needs the volumes expanded, but their storage class "
                          + "does not allow volume expansion (allowVolumeExpansion)");
        }
        return new StorageChange(Action.EXPAND, smaller, null);
    }

    private static StorageChange refuse(String message) {
        return new StorageChange(Action.REFUSE, List.of(), message);
    }

    private static BigDecimal requested(PersistentVolumeClaim claim) {
        var requests = claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests();
        Quantity storage = requests == null ? null : requests.get("storage");
        return storage == null ? BigDecimal.ZERO : storage.getNumericalAmount();
    }

    private static String describe(String storageClass) {
        return storageClass == null ? "the cluster's default class" : "'" + storageClass + "'";
    }
}
