package io.microchat.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A service's environment contract, for its ConfigContractTest: how each variable it honours is observed in its
 * loaded configuration. {@link #assertTakesEffect} loads the real configuration ({@link ServiceConfig#load}) with
 * one variable set, to the value it was given and to a probe that differs from the default (so a value that happens
 * to equal the default proves nothing), and checks the service reads what was set.
 *
 * @param service   auth or chat, as the README's table names it
 * @param observers variable name to how it is read
 */
public record ConfigContract(String service, Map<String, Observed> observers) {

    /** The repository, for the README and the samples. */
    public static final Path ROOT = Path.of(System.getProperty("microchat.root", "../..")).toAbsolutePath().normalize();
    /** Read by the JVM or the image, not by the service's configuration. */
    public static final Set<String> NOT_CONFIGURATION = Set.of("JAVA_TOOL_OPTIONS");
    /** A {@code $(NAME)} in a container variable's value, which the kubelet expands. */
    private static final Pattern KUBELET_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * How one variable is observed.
     *
     * @param probe a value other than the default
     * @param read  what the service reads from the loaded configuration
     * @param parse the value the service should read for a variable's text
     */
    public record Observed(String probe, Function<Config, Object> read, Function<String, Object> parse) {
    }

    /**
     * Checks that a variable, set to a value (or null: only the probe), takes effect.
     *
     * @param name  the variable
     * @param value its value, or null
     */
    public void assertTakesEffect(String name, String value) {
        if (NOT_CONFIGURATION.contains(name)) {
            return;
        }
        Observed observed = observers.get(name);
        assertThat(name + " is set or documented, but the contract does not say how " + service + " reads it",
                   observed != null, is(true));
        if (value != null) {
            assertThat(name + "=" + value, observed.read().apply(ServiceConfig.load(Map.of(name, value)::get)),
                       is(observed.parse().apply(value)));
        }
        Object defaultValue = observed.read().apply(ServiceConfig.load(Map.<String, String>of()::get));
        assertThat(name + "'s probe differs from the default", observed.parse().apply(observed.probe()),
                   not(defaultValue));
        assertThat(name + "=" + observed.probe(),
                   observed.read().apply(ServiceConfig.load(Map.of(name, observed.probe())::get)),
                   is(observed.parse().apply(observed.probe())));
    }

    /**
     * The variables README.md's table documents for this service ("both" included).
     *
     * @return the names
     * @throws IOException when the README cannot be read
     */
    public List<String> readmeVariables() throws IOException {
        List<String> names = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[A-Z_]+`(?: / )?)+) \\| (both|auth|chat) \\|")
                .matcher(Files.readString(ROOT.resolve("README.md")));
        while (row.find()) {
            if (row.group(2).equals("both") || row.group(2).equals(service)) {
                Matcher name = Pattern.compile("`([A-Z_]+)`").matcher(row.group(1));
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    /**
     * The sample MicroChats' files.
     *
     * @return k8s/samples/*.yaml
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> samples() throws IOException {
        try (var files = Files.list(ROOT.resolve("k8s/samples"))) {
            return files.sorted().toList();
        }
    }

    /**
     * What the operator sets on this service's container for every sample MicroChat.
     *
     * @param environment a sample's file to the variables the operator gives the container: name and literal
     *                    value (null when from a Secret), in order
     * @return name to value as the service sees it (see {@link #withProbesForSecrets}), the last sample winning
     * @throws IOException when a sample cannot be read
     */
    public Map<String, String> operatorVariables(SampleEnvironment environment) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Path sample : samples()) {
            variables.putAll(withProbesForSecrets(environment.of(sample)));
        }
        return variables;
    }

    /** The variables the operator gives a container for one sample MicroChat. */
    @FunctionalInterface
    public interface SampleEnvironment {
        /**
         * @param sample the sample's file
         * @return name and literal value (null when from a Secret), in order
         * @throws IOException when it cannot be read
         */
        List<Map.Entry<String, String>> of(Path sample) throws IOException;
    }

    /**
     * Variables as the service sees them. One whose value comes from elsewhere (a Secret) gets its probe; a
     * {@code $(NAME)} reference is expanded as the kubelet does, to a variable defined before it (a Secret's value
     * without an observer becomes {@code probe-NAME}), and a variable only referenced that way (a password inside a
     * URL) is the kubelet's input, not the service's: it is left out, its reference checked instead.
     *
     * @param variables name and literal value (null when from a Secret), in order
     * @return name to value
     */
    Map<String, String> withProbesForSecrets(List<Map.Entry<String, String>> variables) {
        Map<String, String> defined = new LinkedHashMap<>();
        Set<String> referenced = new HashSet<>();
        for (var variable : variables) {
            String value = variable.getValue();
            if (value == null) {
                value = observers.containsKey(variable.getKey()) ? observers.get(variable.getKey()).probe()
                        : "probe-" + variable.getKey().toLowerCase(Locale.ROOT);
            }
            Matcher reference = KUBELET_REFERENCE.matcher(value);
            StringBuilder expanded = new StringBuilder();
            while (reference.find()) {
                String name = reference.group(1);
                assertThat(variable.getKey() + " refers to $(" + name + "), which must be defined before it",
                           defined.containsKey(name), is(true));
                referenced.add(name);
                reference.appendReplacement(expanded, Matcher.quoteReplacement(defined.get(name)));
            }
            reference.appendTail(expanded);
            defined.put(variable.getKey(), expanded.toString());
        }
        Map<String, String> result = new LinkedHashMap<>();
        defined.forEach((name, value) -> {
            if (!referenced.contains(name) || observers.containsKey(name)) {
                result.put(name, value);
            }
        });
        return result;
    }
}
