package io.microchat.operator;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the operator process runs, from its environment, read once at start.
 *
 * @param watchNamespaces namespaces to watch ({@code WATCH_NAMESPACES}, comma-separated; empty: all)
 * @param leaseNamespace  where the leader-election lease lives ({@code OPERATOR_NAMESPACE}); null: no election
 * @param httpPort        health and metrics port ({@code HTTP_PORT}, 8080)
 * @param defaults        what a MicroChat gets when its spec says nothing ({@link OperatorDefaults})
 */
public record OperatorSettings(Set<String> watchNamespaces, String leaseNamespace, int httpPort,
                               OperatorDefaults defaults) {

    /**
     * Settings with this release's defaults ({@link OperatorDefaults#release()}).
     *
     * @param watchNamespaces namespaces to watch; empty: all
     * @param leaseNamespace  where the leader-election lease lives; null: no election
     * @param httpPort        health and metrics port
     */
    public OperatorSettings(Set<String> watchNamespaces, String leaseNamespace, int httpPort) {
        this(watchNamespaces, leaseNamespace, httpPort, OperatorDefaults.release());
    }

    public static OperatorSettings fromEnvironment() {
        String namespaces = System.getenv().getOrDefault("WATCH_NAMESPACES", "");
        String lease = System.getenv("OPERATOR_NAMESPACE");
        boolean election = !"false".equalsIgnoreCase(System.getenv().getOrDefault("LEADER_ELECTION", "true"));
        return new OperatorSettings(Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                                            .collect(Collectors.toSet()),
                                    election && lease != null && !lease.isBlank() ? lease : null,
                                    Integer.parseInt(System.getenv().getOrDefault("HTTP_PORT", "8080")),
                                    OperatorDefaults.fromEnvironment());
    }
}
