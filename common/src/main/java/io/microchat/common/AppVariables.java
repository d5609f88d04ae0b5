package io.microchat.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The {@code APP_*} environment variables of a service, matched to the keys of its {@code application.yaml}: the
 * variable of a key is the key in upper case with {@code .} and {@code -} as {@code _}, so
 * {@code APP_DRAIN_TIMEOUT} sets {@code app.drain-timeout} and {@code APP_LIMITS_MESSAGES_PER_SECOND} sets
 * {@code app.limits.messages-per-second} (Helidon's own mapping would need {@code _dash_} for each {@code -}).
 * Every setting therefore has its default in {@code application.yaml}; an {@code APP_*} variable that matches no
 * key is a mistake, reported at start-up by {@link #reportUnknown()}.
 */
public final class AppVariables {

    static final String PREFIX = "APP_";
    private static final Logger LOGGER = Logger.getLogger(AppVariables.class.getName());

    private AppVariables() {
    }

    /**
     * The variable that sets a key.
     *
     * @param key a configuration key, e.g. {@code app.drain-timeout}
     * @return its variable, e.g. {@code APP_DRAIN_TIMEOUT}
     */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The {@code app.*} keys of this service's {@code application.yaml}, its settings.
     *
     * @return the leaf keys, sorted
     */
    public static Set<String> keys() {
        Config yaml = Config.just(ConfigSources.classpath("application.yaml"));
        Set<String> keys = new TreeSet<>();
        yaml.get("app").traverse().filter(Config::isLeaf).forEach(node -> keys.add(node.key().toString()));
        return keys;
    }

    /**
     * The settings the environment sets through {@code APP_*} variables.
     *
     * @param env reads one environment variable, {@code null} when unset
     * @return configuration key to value
     */
    public static Map<String, String> settings(Function<String, String> env) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : keys()) {
            String value = env.apply(variableOf(key));
            if (value != null && !value.isBlank()) {
                settings.put(key, value);
            }
        }
        return settings;
    }

    /**
     * The {@code APP_*} variables that set nothing, each with the closest real one.
     *
     * @param names the names of the environment's variables
     * @return one sentence per unknown variable; empty when there is none
     */
    public static List<String> unknown(Collection<String> names) {
        Set<String> known = new TreeSet<>(keys().stream().map(AppVariables::variableOf).toList());
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (name.startsWith(PREFIX) && !known.contains(name)) {
                String closest = known.stream().min((a, b) -> distance(name, a) - distance(name, b)).orElse("");
                problems.add(name + " sets nothing in this service (did you mean " + closest + "?)");
            }
        }
        return problems;
    }

    /**
     * Logs a warning for every unknown or misspelt {@code APP_*} variable of this process; the services' {@code main}
     * calls it once.
     *
     * @return the problems logged
     */
    public static List<String> reportUnknown() {
        List<String> problems = unknown(System.getenv().keySet());
        problems.forEach(problem -> LOGGER.warning("environment: " + problem));
        return problems;
    }

    /** Levenshtein distance, for the suggestion. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
