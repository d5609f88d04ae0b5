package io.microchat.bench.soak;

import java.nio.file.Path;
import java.util.Map;

import io.microchat.bench.Options;

/**
 * What a soak runs.
 *
 * @param root              the checkout (where the service jars are)
 * @param durationSeconds   how long traffic and chaos run
 * @param users             simulated users, one connection each, spread over the instances
 * @param rate              private messages a second, all users together
 * @param chaosEverySeconds seconds from the start of one chaos action to the next
 * @param slowReaders       raw connections that stop reading, per slow-reader action
 * @param rssLimitMegabytes the most resident memory a chat instance may reach (a chat pod's limit)
 * @param settleSeconds     how long the end waits for retries and the last deliveries
 */
public record SoakSettings(Path root, int durationSeconds, int users, int rate, int chaosEverySeconds,
                           int slowReaders, int rssLimitMegabytes, int settleSeconds) {

    /** The defaults: what issue 13 asks of `make soak` (at least 10 minutes and 20 kills). */
    static final Map<String, String> DEFAULTS = Map.of(
            "--root", ".", "--duration", "600", "--users", "300", "--rate", "100", "--chaos-every", "15",
            "--slow-readers", "3", "--rss-limit-mb", "512", "--settle", "60");

    /**
     * Reads the command line ({@code --option value} pairs).
     *
     * @param args the arguments
     * @return the settings
     * @throws IllegalArgumentException naming the option at fault
     */
    public static SoakSettings parse(String[] args) {
        Map<String, String> options = Options.parse(args, DEFAULTS);
        return new SoakSettings(Path.of(options.get("--root")).toAbsolutePath().normalize(),
                                positive(options, "--duration"), positive(options, "--users"),
                                positive(options, "--rate"), positive(options, "--chaos-every"),
                                positive(options, "--slow-readers"), positive(options, "--rss-limit-mb"),
                                positive(options, "--settle"));
    }

    private static int positive(Map<String, String> options, String name) {
        String value = options.get(name);
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " must be a positive whole number, not '" + value + "'");
    }
}
