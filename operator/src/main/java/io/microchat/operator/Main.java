package io.microchat.operator;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Starts the MicroChat operator. */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        OperatorSettings settings = OperatorSettings.fromEnvironment();
        if (settings.leaseNamespace() == null) {
            LOGGER.warning("leader election is off (LEADER_ELECTION=false or no OPERATOR_NAMESPACE): run exactly one "
                           + "replica, or several operators will fight over every MicroChat");
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        Operator operator = MicroChatOperator.create(client, registry, settings);
        OperatorEndpoints endpoints = new OperatorEndpoints(settings.httpPort(), registry, operator).start();
        operator.installShutdownHook(Duration.ofSeconds(10));
        operator.start();
        LOGGER.info("MicroChat operator " + OperatorDefaults.version() + " started; watching "
                    + (settings.watchNamespaces().isEmpty() ? "all namespaces" : settings.watchNamespaces())
                    + (settings.leaseNamespace() == null ? "" : "; leader election in " + settings.leaseNamespace())
                    + "; health and metrics on :" + endpoints.port());
    }
}
