package io.microchat.common;

import java.time.Duration;
import java.util.List;

import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * What every MicroChat service exposes for Kubernetes and Prometheus: {@code /observe/health/live},
 * {@code /observe/health/ready} (MongoDB and the service's own checks) and {@code /observe/metrics}.
 */
public final class Observability {

    private Observability() {
    }

    /**
     * The observe feature of a service.
     *
     * @param db     the MongoDB client whose ping makes readiness
     * @param checks the service's own checks
     * @return the feature to add to the server
     */
    public static ObserveFeature feature(DbClient db, List<HealthCheck> checks) {
        var health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(new MongoHealthCheck(db, Duration.ofSeconds(2)));
        checks.forEach(health::addCheck);
        return ObserveFeature.just(health.build(), MetricsObserver.create());
    }
}
