package io.microchat.operator.mongodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The next change to a replica set's configuration, from what it is and what the spec wants: a pure function, so
 * every decision is tested without MongoDB.
 *
 * <p>The rules follow MongoDB's own: {@code replSetInitiate} needs every listed member to answer, so the set is
 * initiated with the first member alone (it becomes primary and writable at once) and the others are added as they
 * answer; a reconfiguration may add or remove at most one voting member, so each step changes exactly one member;
 * members are added in ordinal order and removed from the highest ordinal down, the order in which the StatefulSet
 * creates and deletes their pods (the StatefulSet keeps a pod until its member is out of the configuration). The
 * set is never renamed and never reduced to no member.
 */
public final class ReplicaSetPlanner {

    private ReplicaSetPlanner() {
    }

    /** What to do next. */
    public sealed interface Step {
        /** The configuration to apply, when the step changes it. */
        default Optional<ReplicaSetConfig> config() {
            return Optional.empty();
        }

        /** In words, for the status. */
        String description();
    }

    /** {@code replSetInitiate} on the first member with this configuration. */
    public record Initiate(ReplicaSetConfig initial) implements Step {
        @Override
        public Optional<ReplicaSetConfig> config() {
            return Optional.of(initial);
        }

        @Override
        public String description() {
            return "Initiating replica set " + initial.name() + " with " + initial.hosts().getFirst() + ".";
        }
    }

    /** {@code replSetReconfig} on the primary with this configuration. */
    public record Reconfigure(ReplicaSetConfig next, String description) implements Step {
        @Override
        public Optional<ReplicaSetConfig> config() {
            return Optional.of(next);
        }
    }

    /** Nothing can be done until something changes (a member answers). */
    public record Wait(String description) implements Step {
    }

    /** The configuration is what the spec wants. */
    public record Done(String description) implements Step {
    }

    /**
     * The next step.
     *
     * @param current   the configuration, or empty when the set was not initiated
     * @param name      the replica set's name
     * @param desired   the members' hosts the spec wants, in ordinal order
     * @param answering the hosts whose {@code mongod} answers now
     * @return the step
     */
    public static Step next(Optional<ReplicaSetConfig> current, String name, List<String> desired,
                            Set<String> answering) {
        if (desired.isEmpty()) {
            throw new IllegalArgumentException("a replica set has at least one member");
        }
        if (current.isEmpty()) {
            String first = desired.getFirst();
            if (!answering.contains(first)) {
                return new Wait("Waiting for " + first + " to answer, to initiate replica set " + name + ".");
            }
            return new Initiate(new ReplicaSetConfig(name, 1, List.of(new ReplicaSetConfig.Member(0, first))));
        }
        ReplicaSetConfig config = current.get();
        if (!config.name().equals(name)) {
            return new Wait("The replica set is named " + config.name() + ", the spec says " + name
                            + "; a replica set cannot be renamed, nothing is changed.");
        }
        List<String> missing = desired.stream().filter(host -> !config.hosts().contains(host)).toList();
        for (String host : missing) {
            if (answering.contains(host)) {
                int id = config.members().stream().mapToInt(ReplicaSetConfig.Member::id).max().orElse(-1) + 1;
                List<ReplicaSetConfig.Member> members = new ArrayList<>(config.members());
                members.add(new ReplicaSetConfig.Member(id, host));
                return new Reconfigure(new ReplicaSetConfig(name, config.version() + 1, members),
                                       "Adding " + host + " to replica set " + name + ".");
            }
        }
        Optional<ReplicaSetConfig.Member> extra = config.members().stream()
                .filter(member -> !desired.contains(member.host()))
                .max(Comparator.comparingInt((ReplicaSetConfig.Member member) -> ordinal(member.host()))
                             .thenComparingInt(ReplicaSetConfig.Member::id));
        if (extra.isPresent() && config.members().size() > 1) {
            List<ReplicaSetConfig.Member> members = new ArrayList<>(config.members());
            members.remove(extra.get());
            return new Reconfigure(new ReplicaSetConfig(name, config.version() + 1, members),
                                   "Removing " + extra.get().host() + " from replica set " + name + ".");
        }
        if (!missing.isEmpty()) {
            return new Wait("Waiting for " + String.join(", ", missing) + " to answer, to add "
                            + (missing.size() == 1 ? "it" : "them") + " to replica set " + name + ".");
        }
        return new Done("Replica set " + name + " has its " + desired.size() + " member"
                        + (desired.size() == 1 ? "" : "s") + ".");
    }

    /** The pod ordinal in {@code name-N.service...:port}; -1 when the host is not a pod's. */
    static int ordinal(String host) {
        String pod = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
        int dash = pod.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Integer.parseInt(pod.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
