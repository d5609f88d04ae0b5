package io.microchat.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;
import io.microchat.operator.dependent.AuthDeploymentDependentResource;
import io.microchat.operator.dependent.AuthNetworkPolicyDependentResource;
import io.microchat.operator.dependent.AuthPodDisruptionBudgetDependentResource;
import io.microchat.operator.dependent.AuthServiceDependentResource;
import io.microchat.operator.dependent.ChatAutoscalerDependentResource;
import io.microchat.operator.dependent.ChatDeploymentDependentResource;
import io.microchat.operator.dependent.ChatNetworkPolicyDependentResource;
import io.microchat.operator.dependent.ChatPodDisruptionBudgetDependentResource;
import io.microchat.operator.dependent.ChatServiceDependentResource;
import io.microchat.operator.dependent.Conditions;
import io.microchat.operator.dependent.IngressDependentResource;
import io.microchat.operator.dependent.MongoDbCommunityDependentResource;
import io.microchat.operator.dependent.MongoDbCommunityPasswordSecretDependentResource;
import io.microchat.operator.dependent.MongoDbKeyfileSecretDependentResource;
import io.microchat.operator.dependent.MongoDbNetworkPolicyDependentResource;
import io.microchat.operator.dependent.MongoDbPodDisruptionBudgetDependentResource;
import io.microchat.operator.dependent.MongoDbUsersSecretDependentResource;
import io.microchat.operator.dependent.MongoDbServiceDependentResource;
import io.microchat.operator.dependent.MongoDbStatefulSetDependentResource;
import io.microchat.operator.dependent.RedisDeploymentDependentResource;
import io.microchat.operator.dependent.RedisNetworkPolicyDependentResource;
import io.microchat.operator.dependent.RedisPasswordSecretDependentResource;
import io.microchat.operator.dependent.RedisServiceDependentResource;
import io.microchat.operator.dependent.ServiceMonitorDependentResource;
import io.microchat.operator.dependent.SigningKeySecretDependentResource;
import io.microchat.operator.mongodb.DriverMongoAdmin;
import io.microchat.operator.mongodb.MongoAdmin;

/**
 * Makes the cluster match a MicroChat. The workflow below declares what exists (kinds a cluster may lack, the
 * ServiceMonitor and the MongoDBCommunity, behind activation conditions); this class checks the spec first (an
 * invalid one changes nothing and ends in phase Failed), hands the operator's defaults to the dependents, runs the
 * workflow, and computes the status, which it writes only when it changed.
 */
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = MicroChatReconciler.SIGNING_KEY, type = SigningKeySecretDependentResource.class),
        @Dependent(name = MicroChatReconciler.MONGODB_USERS, type = MongoDbUsersSecretDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = "mongodb-keyfile", type = MongoDbKeyfileSecretDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = MicroChatReconciler.MONGODB, type = MongoDbStatefulSetDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = "mongodb-pdb", type = MongoDbPodDisruptionBudgetDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = "mongodb-service", type = MongoDbServiceDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = "mongodb-network-policy", type = MongoDbNetworkPolicyDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbManaged.class),
        @Dependent(name = "mongodb-community-password", type = MongoDbCommunityPasswordSecretDependentResource.class,
                   reconcilePrecondition = Conditions.MongoDbCommunityOperator.class),
        @Dependent(name = "redis-password", type = RedisPasswordSecretDependentResource.class,
                   reconcilePrecondition = Conditions.RedisPasswordGenerated.class),
        @Dependent(name = MicroChatReconciler.REDIS, type = RedisDeploymentDependentResource.class,
                   reconcilePrecondition = Conditions.RedisManaged.class),
        @Dependent(name = "redis-service", type = RedisServiceDependentResource.class,
                   reconcilePrecondition = Conditions.RedisManaged.class),
        @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependentResource.class,
                   reconcilePrecondition = Conditions.RedisManaged.class),
        @Dependent(name = MicroChatReconciler.AUTH, type = AuthDeploymentDependentResource.class,
                   dependsOn = MicroChatReconciler.SIGNING_KEY),
        @Dependent(name = "auth-service", type = AuthServiceDependentResource.class),
        @Dependent(name = "auth-pdb", type = AuthPodDisruptionBudgetDependentResource.class),
        @Dependent(name = "auth-network-policy", type = AuthNetworkPolicyDependentResource.class),
        @Dependent(name = MicroChatReconciler.CHAT, type = ChatDeploymentDependentResource.class),
        @Dependent(name = "chat-service", type = ChatServiceDependentResource.class),
        @Dependent(name = "chat-pdb", type = ChatPodDisruptionBudgetDependentResource.class),
        @Dependent(name = "chat-network-policy", type = ChatNetworkPolicyDependentResource.class),
        @Dependent(name = "chat-autoscaler", type = ChatAutoscalerDependentResource.class,
                   reconcilePrecondition = Conditions.AutoscalingEnabled.class),
        @Dependent(name = "ingress", type = IngressDependentResource.class,
                   reconcilePrecondition = Conditions.IngressRequested.class),
        @Dependent(name = "service-monitor", type = ServiceMonitorDependentResource.class,
                   activationCondition = Conditions.ServiceMonitorKindExists.class,
                   reconcilePrecondition = Conditions.MonitoringEnabled.class),
        @Dependent(name = MicroChatReconciler.MONGODB_COMMUNITY, type = MongoDbCommunityDependentResource.class,
                   activationCondition = Conditions.MongoDbCommunityKindExists.class,
                   reconcilePrecondition = Conditions.MongoDbCommunityOperator.class)
})
public class MicroChatReconciler implements Reconciler<MicroChat> {

    static final String SIGNING_KEY = SigningKeySecretDependentResource.NAME;
    static final String MONGODB_USERS = "mongodb-users";
    static final String AUTH = "auth-deployment";
    static final String CHAT = "chat-deployment";
    static final String REDIS = "redis-deployment";
    static final String MONGODB = "mongodb-statefulset";
    static final String MONGODB_COMMUNITY = "mongodb-community";
    /** While not Ready, look again this often even without events. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    /** After a change to the replica set's configuration, the next one is tried this soon. */
    static final Duration REPLICA_SET_STEP = Duration.ofSeconds(5);
    /**
     * The longest a Ready MicroChat goes without a reconcile: the key rotation's annotation changes no generation,
     * so it is noticed at the next reconcile, within this.
     */
    static final Duration ROTATION_CHECK = Duration.ofMinutes(1);
    private static final Logger LOGGER = Logger.getLogger(MicroChatReconciler.class.getName());

    private final Clock clock;
    private final StatusMetrics metrics;
    private final MongoAdmin mongoAdmin;
    private final Duration keyPropagation;
    private final OperatorDefaults defaults;

    MicroChatReconciler(Clock clock, StatusMetrics metrics, OperatorDefaults defaults) {
        this(clock, metrics, new DriverMongoAdmin(), SigningKeyRotator.DEFAULT_PROPAGATION, defaults);
    }

    /**
     * A reconciler.
     *
     * @param clock          the time, for status and key rotation
     * @param metrics        status metrics
     * @param mongoAdmin     talks to managed replica sets
     * @param keyPropagation how long a new signing key is published before it signs
     * @param defaults       what a MicroChat gets when its spec says nothing
     */
    MicroChatReconciler(Clock clock, StatusMetrics metrics, MongoAdmin mongoAdmin, Duration keyPropagation,
                        OperatorDefaults defaults) {
        this.clock = clock;
        this.metrics = metrics;
        this.mongoAdmin = mongoAdmin;
        this.keyPropagation = keyPropagation;
        this.defaults = defaults;
    }

    @Override
    public UpdateControl<MicroChat> reconcile(MicroChat mc, Context<MicroChat> context) {
        String id = mc.getMetadata().getNamespace() + "/" + mc.getMetadata().getName();
        MicroChatStatus previous = mc.getStatus();
        List<String> problems = SpecValidator.problems(mc.getSpec());
        if (!problems.isEmpty()) {
            MicroChatStatus failed = StatusCalculator.failed(mc, problems, clock.instant());
            LOGGER.warning(() -> id + ": spec invalid, nothing changed: " + failed.message);
            return recordAndPatch(mc, context, previous, failed);
        }
        defaults.putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        String monitoringProblem = ServiceMonitors.problem(mc, context.getClient());
        var observed = new StatusCalculator.Observed(cached(context, Deployment.class, AUTH, Names.auth(mc)),
                                                     cached(context, Deployment.class, CHAT, Names.chat(mc)),
                                                     cached(context, Deployment.class, REDIS, Names.redis(mc)),
                                                     cached(context, StatefulSet.class, MONGODB, Names.mongodb(mc)));
        String storageRefused = MongoDbStorage.reconcile(mc, context.getClient(), observed.mongodb());
        MicroChatStatus status = StatusCalculator.compute(mc, observed, clock.instant());
        if (storageRefused != null) {
            status = StatusCalculator.changeRefused(mc, status, storageRefused, clock.instant());
        }
        if (monitoringProblem != null) {
            status.message = status.message == null ? monitoringProblem : status.message + " " + monitoringProblem;
        }
        Duration lookAgain = earliest(replicaSet(mc, context, status), rotateSigningKey(mc, context, observed));
        String community = MongoDbCommunity.waitingFor(mc, context.getClient(), () -> cached(
                context, MongoDbCommunity.MongoDBCommunity.class, MONGODB_COMMUNITY, Names.mongodb(mc)));
        if (community != null) {
            StatusCalculator.waitingFor(mc, status, community, clock.instant());
            lookAgain = earliest(lookAgain, RECHECK);
        }
        metrics.record(mc, status);
        MicroChatStatus computed = status;
        UpdateControl<MicroChat> control = recordAndPatch(mc, context, previous, status);
        if (control.isPatchStatus()) {
            LOGGER.info(() -> id + ": phase " + computed.phase + ", chat " + computed.chat.readyReplicas + "/"
                              + computed.chat.desiredReplicas + " ready, auth " + computed.auth.readyReplicas + "/"
                              + computed.auth.desiredReplicas
                              + (computed.message == null ? "" : ": " + computed.message));
        } else {
            LOGGER.fine(() -> id + ": up to date (" + computed.phase + ")");
        }
        if (!StatusCalculator.READY.equals(status.phase)) {
            lookAgain = earliest(lookAgain, RECHECK);
        }
        return lookAgain == null ? control : control.rescheduleAfter(lookAgain);
    }

    /** Patches the status when it changed, with an Event for each decision the change shows. */
    private static UpdateControl<MicroChat> recordAndPatch(MicroChat mc, Context<MicroChat> context,
                                                           MicroChatStatus previous, MicroChatStatus status) {
        UpdateControl<MicroChat> control = patchIfChanged(mc, status);
        if (control.isPatchStatus()) {
            for (var decision : OperatorEvents.decisions(previous, status)) {
                OperatorEvents.record(context.getClient(), mc, decision.type(), decision.reason(), decision.message());
            }
        }
        return control;
    }

    @Override
    public ErrorStatusUpdateControl<MicroChat> updateErrorStatus(MicroChat mc, Context<MicroChat> context,
                                                                 Exception e) {
        String id = mc.getMetadata().getNamespace() + "/" + mc.getMetadata().getName();
        LOGGER.warning(() -> id + ": reconcile failed, retrying: " + e);
        MicroChatStatus status = mc.getStatus() == null ? new MicroChatStatus() : mc.getStatus();
        status.phase = StatusCalculator.DEGRADED;
        status.message = "Reconcile failed: " + rootMessage(e);
        mc.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(mc);
    }

    /**
     * One step towards the managed replica set the spec wants; its state goes into the status.
     *
     * @return when to look again, or null
     */
    private Duration replicaSet(MicroChat mc, Context<MicroChat> context, MicroChatStatus status) {
        if (mc.getSpec().mongodb.mode != DataStoreMode.Managed) {
            return null;
        }
        ReplicaSets.Result result = ReplicaSets.reconcile(
                mc, cached(context, Secret.class, MONGODB_USERS, Names.mongodbUsers(mc)), mongoAdmin);
        status.replicaSet = result.status();
        if (mc.getSpec().mongodb.members == 1) {
            String warning = "MongoDB runs one member: no failover, for development only.";
            status.message = status.message == null ? warning : status.message + " " + warning;
        }
        return result.changed() ? REPLICA_SET_STEP : result.settled() ? null : RECHECK;
    }

    /**
     * One step of the signing key's rotation.
     *
     * @return when to look again
     */
    private Duration rotateSigningKey(MicroChat mc, Context<MicroChat> context, StatusCalculator.Observed observed) {
        Optional<Secret> signingKeys = cached(context, Secret.class, SIGNING_KEY, Names.signingKey(mc));
        if (signingKeys.isEmpty()) {
            return RECHECK;
        }
        var step = SigningKeyRotator.reconcile(mc, signingKeys.get(), observed.auth(), context.getClient(),
                                               clock.instant(), keyPropagation);
        if (!(step instanceof SigningKeyRotation.Wait wait)) {
            return Duration.ofSeconds(1);
        }
        if (wait.until() == null) {
            return RECHECK;
        }
        return earliest(Duration.between(clock.instant(), wait.until()).plusSeconds(1), ROTATION_CHECK);
    }

    private static Duration earliest(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    /** A workload as its dependent's informer last saw it (several dependents share a kind, so by name). */
    private static <R extends HasMetadata> Optional<R> cached(Context<MicroChat> context, Class<R> type,
                                                              String eventSource, String name) {
        var source = (InformerEventSource<R, MicroChat>) context.eventSourceRetriever()
                .getEventSourceFor(type, eventSource);
        return source.get(new ResourceID(name, context.getPrimaryResource().getMetadata().getNamespace()));
    }

    private static UpdateControl<MicroChat> patchIfChanged(MicroChat mc, MicroChatStatus status) {
        if (mc.getStatus() != null && Objects.equals(Serialization.asJson(mc.getStatus()), Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        mc.setStatus(status);
        return UpdateControl.patchStatus(mc);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
