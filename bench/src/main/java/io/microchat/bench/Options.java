package io.microchat.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** The command lines of the benchmark and the soak: {@code --option value} pairs over defaults. */
public final class Options {

    private Options() {
    }

    /**
     * Reads {@code --option value} pairs.
     *
     * @param args     the arguments
     * @param defaults every known option with its default
     * @return the defaults with what the arguments set
     * @throws IllegalArgumentException for an unknown option or one without a value
     */
    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs (--option value); " + args[args.length - 1]
                                               + " has no value");
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: "
                                                   + new TreeSet<>(options.keySet()));
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
