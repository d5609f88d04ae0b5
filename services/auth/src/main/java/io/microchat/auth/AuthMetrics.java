package io.microchat.auth;

import java.time.Duration;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The auth service's own meters, exported by {@code /observe/metrics} in Prometheus text format:
 * {@code auth_http_requests_total{route,method,status}}, {@code auth_registrations_total{outcome}},
 * {@code auth_logins_total{outcome}} and {@code auth_password_hash_seconds}.
 */
final class AuthMetrics {

    private final MeterRegistry registry;
    private final Timer passwordHash;

    AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.passwordHash = registry.getOrCreate(Timer.builder("auth.password.hash")
                                                         .description("Time to hash or check one password")
                                                         .publishPercentileHistogram(true)
                                                         .minimumExpectedValue(Duration.ofMillis(10))
                                                         .maximumExpectedValue(Duration.ofSeconds(5)));
    }

    static AuthMetrics global() {
        return new AuthMetrics(Metrics.globalRegistry());
    }

    void request(String route, String method, int status) {
        counter("auth.http.requests", "HTTP requests by route, method and status",
                Tag.create("route", route), Tag.create("method", method), Tag.create("status", String.valueOf(status)))
                .increment();
    }

    void registration(String outcome) {
        counter("auth.registrations", "Registrations by outcome", Tag.create("outcome", outcome)).increment();
    }

    void login(String outcome) {
        counter("auth.logins", "Logins by outcome", Tag.create("outcome", outcome)).increment();
    }

    <T> T timeHash(java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            passwordHash.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Counter counter(String name, String description, Tag... tags) {
        return registry.getOrCreate(Counter.builder(name).description(description).tags(java.util.List.of(tags)));
    }
}
