package io.microchat.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

import io.microchat.operator.mongodb.MongoAdmin;
import io.microchat.operator.mongodb.ReplicaSetConfig;

/**
 * A replica set in memory, for the operator's tests against the mock API server (which runs no pods): it keeps the
 * configuration the operator gave it, refuses what MongoDB refuses (initiating twice, a reconfiguration that is not
 * the next version or changes more than one member, the wrong root password), and records what it was asked.
 */
final class InMemoryReplicaSet implements MongoAdmin {

    final Set<String> answering = ConcurrentHashMap.newKeySet();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** On each reconfiguration that removes a member: the StatefulSet's replicas at that moment. */
    final List<Integer> podsWhenRemoving = new CopyOnWriteArrayList<>();
    private final IntSupplier statefulSetReplicas;
    private volatile ReplicaSetConfig config;
    private volatile String rootPassword;
    private final Set<String> users = ConcurrentHashMap.newKeySet();

    InMemoryReplicaSet(IntSupplier statefulSetReplicas) {
        this.statefulSetReplicas = statefulSetReplicas;
    }

    Optional<ReplicaSetConfig> config() {
        return Optional.ofNullable(config);
    }

    Set<String> users() {
        return users;
    }

    @Override
    public boolean answers(String host) {
        return answering.contains(host);
    }

    @Override
    public synchronized Optional<ReplicaSetConfig> config(List<String> hosts, Credentials root) {
        authenticate(root);
        return Optional.ofNullable(config);
    }

    @Override
    public synchronized void initiate(ReplicaSetConfig initial, Credentials root) {
        authenticate(root);
        if (config != null) {
            throw new AdminException("AlreadyInitialized", null);
        }
        calls.add("initiate " + initial.hosts());
        config = initial;
    }

    @Override
    public synchronized void reconfigure(ReplicaSetConfig current, ReplicaSetConfig next, Credentials root) {
        authenticate(root);
        if (config == null || next.version() != config.version() + 1) {
            throw new AdminException("NewReplicaSetConfigurationIncompatible: version", null);
        }
        List<String> added = new ArrayList<>(next.hosts());
        added.removeAll(config.hosts());
        List<String> removed = new ArrayList<>(config.hosts());
        removed.removeAll(next.hosts());
        if (added.size() + removed.size() != 1) {
            throw new AdminException("only one voting member may be added or removed at a time", null);
        }
        if (!removed.isEmpty()) {
            podsWhenRemoving.add(statefulSetReplicas.getAsInt());
        }
        calls.add("reconfigure " + next.hosts());
        config = next;
    }

    @Override
    public synchronized boolean ensureUser(ReplicaSetConfig current, Credentials root, String database,
                                           Credentials user, String role) {
        authenticate(root);
        calls.add("user " + database + "." + user.username() + " " + role);
        return users.add(database + "." + user.username() + ":" + user.password());
    }

    /** The first root password used is the root user's (as the image's entrypoint creates it once). */
    private void authenticate(Credentials root) {
        if (rootPassword == null) {
            rootPassword = root.password();
        } else if (!rootPassword.equals(root.password())) {
            throw new AdminException("Authentication failed", null);
        }
    }
}
