package io.microchat.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.microchat.operator.api.MicroChat;

/**
 * What a MicroChat gets when its spec says nothing, read once at start from the operator's environment (which the
 * Helm chart sets) and handed to the dependents through the reconcile's context, so that desired state is a function
 * of the MicroChat and these defaults only.
 *
 * @param authImage            the auth image ({@code MICROCHAT_AUTH_IMAGE}; this release's image when unset)
 * @param chatImage            the chat image ({@code MICROCHAT_CHAT_IMAGE}; this release's image when unset)
 * @param imagePullSecrets     the pull secrets of a MicroChat whose spec names none
 *                             ({@code MICROCHAT_IMAGE_PULL_SECRETS}, comma-separated names; the chart sets it from its
 *                             {@code imagePullSecrets}); empty for none
 * @param serviceMonitorLabels labels every MicroChat's ServiceMonitor gets ({@code MICROCHAT_SERVICE_MONITOR_LABELS},
 *                             {@code k=v,k=v}; the chart sets it from {@code monitoring.serviceMonitor.labels}); empty
 *                             for none
 */
public record OperatorDefaults(String authImage, String chatImage, List<String> imagePullSecrets,
                               Map<String, String> serviceMonitorLabels) {

    private static final String VERSION = readVersion();
    /** The key of the defaults in the reconcile's context. */
    private static final String CONTEXT_KEY = OperatorDefaults.class.getName();

    public OperatorDefaults {
        imagePullSecrets = List.copyOf(imagePullSecrets);
        serviceMonitorLabels = Collections.unmodifiableMap(new LinkedHashMap<>(serviceMonitorLabels));
    }

    /**
     * The defaults of this operator's release: its images, no pull secrets, no ServiceMonitor labels.
     *
     * @return the defaults
     */
    public static OperatorDefaults release() {
        return from(Map.of());
    }

    /**
     * The defaults the operator's process environment sets.
     *
     * @return the defaults
     */
    public static OperatorDefaults fromEnvironment() {
        return from(System.getenv());
    }

    /**
     * The defaults the given environment sets.
     *
     * @param environment environment variables
     * @return the defaults
     * @throws IllegalArgumentException when a label is not {@code k=v}
     */
    public static OperatorDefaults from(Map<String, String> environment) {
        return new OperatorDefaults(value(environment, "MICROCHAT_AUTH_IMAGE", "microchat/auth:" + VERSION),
                                    value(environment, "MICROCHAT_CHAT_IMAGE", "microchat/chat:" + VERSION),
                                    names(environment.get("MICROCHAT_IMAGE_PULL_SECRETS")),
                                    labels(environment.get("MICROCHAT_SERVICE_MONITOR_LABELS")));
    }

    /**
     * The version of this operator's release.
     *
     * @return the version, {@code dev} outside a release build
     */
    public static String version() {
        return VERSION;
    }

    /**
     * Hands the defaults to the dependents of one reconcile.
     *
     * @param context the reconcile's context
     */
    void putInto(Context<MicroChat> context) {
        context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, this);
    }

    /**
     * The defaults the reconciler handed to this reconcile's dependents.
     *
     * @param context the reconcile's context
     * @return the defaults
     * @throws IllegalStateException when the reconciler handed none
     */
    public static OperatorDefaults of(Context<MicroChat> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, OperatorDefaults.class);
    }

    private static Map<String, String> labels(String commaSeparated) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : names(commaSeparated)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a label k=v: '" + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }

    private static List<String> names(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String value(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String readVersion() {
        try (InputStream in = OperatorDefaults.class.getResourceAsStream("/microchat-operator.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
