package io.microchat.operator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.microchat.operator.api.ComponentStatus;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;

/**
 * The status as Prometheus gauges, for dashboards and alerts: {@code microchat_component_ready_replicas} and
 * {@code microchat_component_desired_replicas} with {@code namespace}, {@code microchat} and {@code component}, and
 * {@code microchat_ready} (1 when the phase is Ready).
 */
final class StatusMetrics {

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicInteger> values = new ConcurrentHashMap<>();

    StatusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(MicroChat mc, MicroChatStatus status) {
        String namespace = mc.getMetadata().getNamespace();
        String name = mc.getMetadata().getName();
        component(namespace, name, "auth", status.auth);
        component(namespace, name, "chat", status.chat);
        component(namespace, name, "redis", status.redis);
        component(namespace, name, "mongodb", status.mongodb);
        gauge("microchat_ready", "1 when the MicroChat is Ready", namespace, name, null)
                .set(StatusCalculator.READY.equals(status.phase) ? 1 : 0);
    }

    private void component(String namespace, String name, String component, ComponentStatus status) {
        if (status == null) {
            return;
        }
        gauge("microchat_component_ready_replicas", "Pods of a component ready", namespace, name, component)
                .set(status.readyReplicas);
        gauge("microchat_component_desired_replicas", "Pods of a component wanted", namespace, name, component)
                .set(status.desiredReplicas);
    }

    private AtomicInteger gauge(String metric, String description, String namespace, String name, String component) {
        List<String> key = component == null ? List.of(metric, namespace, name) : List.of(metric, namespace, name, component);
        return values.computeIfAbsent(key, k -> {
            AtomicInteger value = new AtomicInteger();
            List<Tag> tags = component == null
                    ? List.of(Tag.of("namespace", namespace), Tag.of("microchat", name))
                    : List.of(Tag.of("namespace", namespace), Tag.of("microchat", name), Tag.of("component", component));
            Gauge.builder(metric, value, AtomicInteger::get).description(description).tags(tags).register(registry);
            return value;
        });
    }
}
