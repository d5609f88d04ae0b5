package io.microchat.operator;

import java.time.Clock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The operator as the process and the tests run it.
 *
 * <p>Dependents are matched and updated the classic way (compare the desired fields, then update), not with
 * server-side apply: drift correction then works the same against every API server, the test server included.
 */
public final class MicroChatOperator {

    /** The lease that makes one of several replicas the leader. */
    public static final String LEASE = "microchat-operator-lease";

    private MicroChatOperator() {
    }

    public static Operator create(KubernetesClient client, MeterRegistry registry, OperatorSettings settings) {
        return create(client, registry, settings, settings.leaseNamespace() == null ? null
                : new LeaderElectionConfiguration(LEASE, settings.leaseNamespace()));
    }

    static Operator create(KubernetesClient client, MeterRegistry registry, OperatorSettings settings,
                           LeaderElectionConfiguration leaderElection) {
        return create(client, registry, settings, leaderElection,
                      new MicroChatReconciler(Clock.systemUTC(), new StatusMetrics(registry), settings.defaults()));
    }

    /**
     * The operator with a reconciler of the caller's (tests: their clock, an in-memory replica set).
     *
     * @param client         the API server
     * @param registry       metrics
     * @param settings       settings
     * @param leaderElection election, or null
     * @param reconciler     the reconciler
     * @return the operator, not started
     */
    static Operator create(KubernetesClient client, MeterRegistry registry, OperatorSettings settings,
                           LeaderElectionConfiguration leaderElection, MicroChatReconciler reconciler) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withStopOnInformerErrorDuringStartup(true);
            if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
            }
        });
        operator.register(reconciler, overrider -> {
            if (!settings.watchNamespaces().isEmpty()) {
                overrider.settingNamespaces(settings.watchNamespaces());
            }
        });
        return operator;
    }
}
