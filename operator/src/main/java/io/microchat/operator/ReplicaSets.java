package io.microchat.operator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.Secret;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.ReplicaSetStatus;
import io.microchat.operator.dependent.MongoDbStatefulSetDependentResource;
import io.microchat.operator.dependent.MongoDbUsersSecretDependentResource;
import io.microchat.operator.mongodb.MongoAdmin;
import io.microchat.operator.mongodb.ReplicaSetConfig;
import io.microchat.operator.mongodb.ReplicaSetPlanner;

/**
 * One step towards the replica set the spec wants, each reconcile: read the configuration from the members that
 * answer, let {@link ReplicaSetPlanner} decide, apply that one change, and make sure the application user exists.
 * What it did or waits for goes into {@code status.replicaSet}.
 */
final class ReplicaSets {

    /** The application user's only role, on the {@code microchat} database: read and write its collections. */
    static final String APP_ROLE = "readWrite";
    private static final Logger LOGGER = Logger.getLogger(ReplicaSets.class.getName());

    private ReplicaSets() {
    }

    /**
     * What one step did.
     *
     * @param status  the replica set's status
     * @param settled true when the set is what the spec wants and the user exists (no need to look again soon)
     * @param changed true when this step changed the configuration (the next step may be possible at once)
     */
    record Result(ReplicaSetStatus status, boolean settled, boolean changed) {
    }

    /**
     * Takes one step.
     *
     * @param mc    the MicroChat
     * @param users the users Secret, when it exists
     * @param admin talks to MongoDB
     * @return what happened
     */
    static Result reconcile(MicroChat mc, Optional<Secret> users, MongoAdmin admin) {
        ReplicaSetStatus previous = mc.getStatus() == null ? null : mc.getStatus().replicaSet;
        ReplicaSetStatus status = new ReplicaSetStatus();
        if (previous != null) {
            status.initiated = previous.initiated;
            status.members = new ArrayList<>(previous.members);
            status.configVersion = previous.configVersion;
            status.applicationUser = previous.applicationUser;
        }
        if (users.isEmpty()) {
            status.message = "Waiting for the Secret " + Names.mongodbUsers(mc) + ".";
            return new Result(status, false, false);
        }
        var spec = mc.getSpec().mongodb;
        List<String> desired = IntStream.range(0, spec.members).mapToObj(i -> Names.mongodbMember(mc, i)).toList();
        Set<String> known = new LinkedHashSet<>(desired);
        IntStream.range(0, MongoDbStatefulSetDependentResource.replicas(mc))
                .forEach(i -> known.add(Names.mongodbMember(mc, i)));
        known.addAll(status.members);
        Set<String> answering = known.stream().filter(admin::answers)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        try {
            MongoAdmin.Credentials root = credentials(users.get(), MongoDbUsersSecretDependentResource.ROOT_USERNAME,
                                                      MongoDbUsersSecretDependentResource.ROOT_PASSWORD);
            MongoAdmin.Credentials app = credentials(users.get(), MongoDbUsersSecretDependentResource.APP_USERNAME,
                                                     MongoDbUsersSecretDependentResource.APP_PASSWORD);
            Optional<ReplicaSetConfig> current = answering.isEmpty() ? Optional.empty()
                    : admin.config(List.copyOf(answering), root);
            if (current.isEmpty() && status.initiated) {
                status.message = "No member that answers has the replica set's configuration; waiting (the set "
                                 + "was initiated before, so it is not initiated again).";
                return new Result(status, false, false);
            }
            ReplicaSetPlanner.Step step = ReplicaSetPlanner.next(current, spec.replicaSetName, desired, answering);
            ReplicaSetConfig now = current.orElse(null);
            switch (step) {
                case ReplicaSetPlanner.Initiate initiate -> admin.initiate(initiate.initial(), root);
                case ReplicaSetPlanner.Reconfigure reconfigure -> admin.reconfigure(now, reconfigure.next(), root);
                default -> {
                }
            }
            if (step.config().isPresent()) {
                now = step.config().get();
                LOGGER.info(() -> mc.getMetadata().getNamespace() + "/" + mc.getMetadata().getName() + ": "
                                  + step.description());
            }
            if (now != null) {
                status.initiated = true;
                status.members = new ArrayList<>(now.hosts());
                status.configVersion = now.version();
            }
            status.message = step.description();
            if (now != null && !status.applicationUser) {
                boolean created = admin.ensureUser(now, root, MongoDbUsersSecretDependentResource.DATABASE, app,
                                                   APP_ROLE);
                status.applicationUser = true;
                if (created) {
                    LOGGER.info(() -> mc.getMetadata().getNamespace() + "/" + mc.getMetadata().getName()
                                      + ": created MongoDB user " + app.username() + " (" + APP_ROLE + " on "
                                      + MongoDbUsersSecretDependentResource.DATABASE + ")");
                }
            }
            return new Result(status, step instanceof ReplicaSetPlanner.Done && status.applicationUser,
                              step.config().isPresent());
        } catch (MongoAdmin.AdminException e) {
            status.message = "MongoDB: " + e.getMessage();
            return new Result(status, false, false);
        }
    }

    private static MongoAdmin.Credentials credentials(Secret secret, String userKey, String passwordKey) {
        return new MongoAdmin.Credentials(value(secret, userKey), value(secret, passwordKey));
    }

    private static String value(Secret secret, String key) {
        String value = SecretValues.of(secret).get(key);
        if (value == null) {
            throw new MongoAdmin.AdminException("The Secret " + secret.getMetadata().getName() + " has no key " + key,
                                                null);
        }
        return value;
    }
}
