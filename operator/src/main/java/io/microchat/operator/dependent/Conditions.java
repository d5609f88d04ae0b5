package io.microchat.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.microchat.operator.MongoDbCommunity;
import io.microchat.operator.ServiceMonitors;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;

/**
 * When the optional dependents exist. The {@code ...KindExists} ones are activation conditions: whether the cluster
 * has a kind at all, so that nothing watches a kind the cluster lacks; the others are reconcile preconditions on the
 * spec.
 */
public final class Conditions {

    private Conditions() {
    }

    /** The operator runs Redis. */
    public static final class RedisManaged implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().redis.mode == DataStoreMode.Managed;
        }
    }

    /** The operator runs Redis with a password it generates (the spec names no Secret of the user's). */
    public static final class RedisPasswordGenerated implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().redis.mode == DataStoreMode.Managed && mc.getSpec().redis.passwordSecret == null;
        }
    }

    /** The operator runs MongoDB. */
    public static final class MongoDbManaged implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().mongodb.mode == DataStoreMode.Managed;
        }
    }

    /** The MongoDB community operator runs MongoDB. */
    public static final class MongoDbCommunityOperator implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().mongodb.mode == DataStoreMode.CommunityOperator;
        }
    }

    /** The ServiceMonitor is asked for ({@code spec.monitoring.serviceMonitor}). */
    public static final class MonitoringEnabled implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().monitoring.serviceMonitor;
        }
    }

    /** The cluster has the Prometheus Operator's ServiceMonitor kind. */
    public static final class ServiceMonitorKindExists implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return ServiceMonitors.kindExists(context.getClient());
        }
    }

    /** The cluster has the MongoDB community operator's MongoDBCommunity kind. */
    public static final class MongoDbCommunityKindExists implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return MongoDbCommunity.kindExists(context.getClient());
        }
    }

    /** An ingress host is set. */
    public static final class IngressRequested implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().ingress != null && mc.getSpec().ingress.host != null;
        }
    }

    /** Chat autoscaling is on. */
    public static final class AutoscalingEnabled implements Condition<Object, MicroChat> {
        @Override
        public boolean isMet(DependentResource<Object, MicroChat> dependent, MicroChat mc, Context<MicroChat> context) {
            return mc.getSpec().chat.autoscaling.enabled;
        }
    }
}
