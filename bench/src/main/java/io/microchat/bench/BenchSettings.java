package io.microchat.bench;

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
 */
public record BenchSettings(Path root, int users, int connections, int idleLow, int connectWarmup, double crossShare,
                            List<Integer> rates, int jitWarmupSeconds, int warmupSeconds, int stepSeconds,
                            int drainMillis, double p99BoundMillis, boolean singlePodRun, Path out) {

    /** The defaults: the targets of the issue on a 2-core machine. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--users", "1000"), Map.entry("--connections", "5000"), Map.entry("--idle-low", "1000"),
            Map.entry("--connect-warmup", "1000"),
            Map.entry("--cross-share", "0.8"), Map.entry("--rates", "1000,2500,5000,7500,10000"),
            Map.entry("--jit-warmup", "20"), Map.entry("--warmup", "3"), Map.entry("--step", "10"),
            Map.entry("--drain-ms", "3000"), Map.entry("--p99-ms", "50"), Map.entry("--single-pod", "true"));

    public static BenchSettings parse(String[] args) {
        Map<String, String> options = new HashMap<>(DEFAULTS);
        options.put("--root", ".");
        options.put("--out", "bench/target/bench-results.json");
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i], args[i + 1]);
        }
        List<Integer> rates = new ArrayList<>();
        for (String rate : options.get("--rates").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        return new BenchSettings(Path.of(options.get("--root")).toAbsolutePath().normalize(),
                                 Integer.parseInt(options.get("--users")),
                                 Integer.parseInt(options.get("--connections")),
                                 Integer.parseInt(options.get("--idle-low")),
                                 Integer.parseInt(options.get("--connect-warmup")),
                                 Double.parseDouble(options.get("--cross-share")), rates,
                                 Integer.parseInt(options.get("--jit-warmup")),
                                 Integer.parseInt(options.get("--warmup")), Integer.parseInt(options.get("--step")),
                                 Integer.parseInt(options.get("--drain-ms")),
                                 Double.parseDouble(options.get("--p99-ms")),
                                 Boolean.parseBoolean(options.get("--single-pod")), Path.of(options.get("--out")));
    }

    /** Messages the arrays must hold: every step at full length. */
    int capacity() {
        return rates.getFirst() * (jitWarmupSeconds + 1)
               + rates.stream().mapToInt(rate -> rate * (warmupSeconds + stepSeconds)).sum() + 16;
    }
}
