package io.microchat.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run.
 *
 * @param root          the checkout (where the service jars are)
 * @param users         users registered
 * @param connections   connections opened, spread over users and instances
 * @param idleLow       connections at the first memory sample (the second is at {@code connections})
 * @param connectWarmup connections opened and closed before the memory samples, so that what the JVM grows once
 *                      (compiled code, compiler memory) is not counted per connection; 0 measures a cold server
 * @param crossShare    share of messages whose recipient is on another instance
 * @param rates         message rates to step through, per second
 * @param jitWarmupSeconds unmeasured seconds at the first rate before the first step, so that the JIT compilers
 *                      are done with the hot paths (their CPU would otherwise count as the servers' cost)
 * @param warmupSeconds unmeasured seconds at each rate
 * @param stepSeconds   measured seconds at each rate
 * @param drainMillis   how long to wait for the last deliveries of a step
 * @param p99BoundMillis the latency bound that ends the stepping
 * @param singlePodRun  also run with one instance and no cross-instance traffic
 * @param out           where the JSON goes
 * @param authUrl       a running auth service to target instead of starting the local stack, or null
 * @param chatUrls      the running chat instances, each addressed on its own (with {@code authUrl})
 * @param serverPids    processes on this machine whose CPU and memory count as the servers' (with {@code authUrl};
 *                      without them the servers' CPU and memory are not measured)
 */
public record BenchSettings(Path root, int users, int connections, int idleLow, int connectWarmup, double crossShare,
                            List<Integer> rates, int jitWarmupSeconds, int warmupSeconds, int stepSeconds,
                            int drainMillis, double p99BoundMillis, boolean singlePodRun, Path out, String authUrl,
                            List<String> chatUrls, List<Long> serverPids) {

    /** The defaults: the targets of the issue on a 2-core machine. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--users", "1000"), Map.entry("--connections", "5000"), Map.entry("--idle-low", "1000"),
            Map.entry("--connect-warmup", "1000"),
            Map.entry("--cross-share", "0.8"), Map.entry("--rates", "1000,2500,5000,7500,10000,12500"),
            Map.entry("--jit-warmup", "20"), Map.entry("--warmup", "3"), Map.entry("--step", "10"),
            Map.entry("--drain-ms", "3000"), Map.entry("--p99-ms", "50"), Map.entry("--single-pod", "true"),
            Map.entry("--auth-url", ""), Map.entry("--chat-urls", ""), Map.entry("--server-pids", ""));

    /**
     * Reads the command line ({@code --option value} pairs).
     *
     * @param args the arguments
     * @return the settings
     * @throws IllegalArgumentException naming the option at fault
     */
    public static BenchSettings parse(String[] args) {
        Map<String, String> defaults = new HashMap<>(DEFAULTS);
        defaults.put("--root", ".");
        defaults.put("--out", "bench/target/bench-results.json");
        Map<String, String> options = Options.parse(args, defaults);
        List<Integer> rates = new ArrayList<>();
        for (String rate : options.get("--rates").split(",")) {
            rates.add(positive("--rates", rate.trim()));
        }
        String authUrl = options.get("--auth-url").isBlank() ? null : baseUrl("--auth-url", options.get("--auth-url"));
        List<String> chatUrls = new ArrayList<>();
        for (String url : options.get("--chat-urls").split(",")) {
            if (!url.isBlank()) {
                chatUrls.add(baseUrl("--chat-urls", url.trim()));
            }
        }
        if ((authUrl == null) != chatUrls.isEmpty()) {
            throw new IllegalArgumentException("--auth-url and --chat-urls go together: give both to target running "
                                               + "services, neither to start the local stack");
        }
        List<Long> serverPids = new ArrayList<>();
        for (String pid : options.get("--server-pids").split(",")) {
            if (!pid.isBlank()) {
                serverPids.add((long) positive("--server-pids", pid.trim()));
            }
        }
        if (!serverPids.isEmpty() && authUrl == null) {
            throw new IllegalArgumentException("--server-pids is for running services (--auth-url, --chat-urls); "
                                               + "the local stack measures its own processes");
        }
        double crossShare = Double.parseDouble(options.get("--cross-share"));
        if (!(crossShare >= 0 && crossShare <= 1)) {
            throw new IllegalArgumentException("--cross-share must be between 0 and 1, not " + crossShare);
        }
        return new BenchSettings(Path.of(options.get("--root")).toAbsolutePath().normalize(),
                                 positive("--users", options.get("--users")),
                                 positive("--connections", options.get("--connections")),
                                 positive("--idle-low", options.get("--idle-low")),
                                 Integer.parseInt(options.get("--connect-warmup")),
                                 crossShare, rates,
                                 Integer.parseInt(options.get("--jit-warmup")),
                                 Integer.parseInt(options.get("--warmup")),
                                 positive("--step", options.get("--step")),
                                 Integer.parseInt(options.get("--drain-ms")),
                                 Double.parseDouble(options.get("--p99-ms")),
                                 Boolean.parseBoolean(options.get("--single-pod")), Path.of(options.get("--out")),
                                 authUrl, List.copyOf(chatUrls), List.copyOf(serverPids));
    }

    /**
     * Whether running services are targeted instead of the local stack.
     *
     * @return true with {@code --auth-url} and {@code --chat-urls}
     */
    boolean targetsRunningServices() {
        return authUrl != null;
    }

    /** Messages the arrays must hold: every step at full length. */
    int capacity() {
        return rates.getFirst() * (jitWarmupSeconds + 1)
               + rates.stream().mapToInt(rate -> rate * (warmupSeconds + stepSeconds)).sum() + 16;
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " takes positive whole numbers, not '" + value + "'");
    }

    /** An http(s) URL without query or fragment, ending in "/" so that paths can be appended. */
    private static String baseUrl(String option, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a URL");
        }
        if (uri.getRawUserInfo() != null) {
            // not repeated here: it holds a secret
            throw new IllegalArgumentException(option + " must not carry credentials");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
            || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(option + " takes http(s)://host[:port][/path] URLs, not '" + value
                                               + "'");
        }
        return value.endsWith("/") ? value : value + "/";
    }
}
