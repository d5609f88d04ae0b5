package io.microchat.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a MicroChat gets when its spec says nothing: the images of this operator's release
 * ({@code MICROCHAT_AUTH_IMAGE}, {@code MICROCHAT_CHAT_IMAGE} override them, as the Helm chart does) and the
 * image pull secrets the chart gives the operator.
 */
public final class OperatorDefaults {

    private static final String VERSION = readVersion();

    private OperatorDefaults() {
    }

    public static String version() {
        return VERSION;
    }

    public static String authImage() {
        return env("MICROCHAT_AUTH_IMAGE", "microchat/auth:" + VERSION);
    }

    public static String chatImage() {
        return env("MICROCHAT_CHAT_IMAGE", "microchat/chat:" + VERSION);
    }

    /**
     * The pull secrets of a MicroChat whose spec names none ({@code MICROCHAT_IMAGE_PULL_SECRETS}, comma-separated
     * names; the chart sets it from its {@code imagePullSecrets}).
     *
     * @return the Secret names, empty for none
     */
    public static List<String> imagePullSecrets() {
        return names(System.getenv("MICROCHAT_IMAGE_PULL_SECRETS"));
    }

    /**
     * Labels every MicroChat's ServiceMonitor gets ({@code MICROCHAT_SERVICE_MONITOR_LABELS}, {@code k=v,k=v}; the
     * chart sets it from {@code monitoring.serviceMonitor.labels}).
     *
     * @return the labels, empty for none
     */
    public static Map<String, String> serviceMonitorLabels() {
        return labels(System.getenv("MICROCHAT_SERVICE_MONITOR_LABELS"));
    }

    static Map<String, String> labels(String commaSeparated) {
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

    static List<String> names(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
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
