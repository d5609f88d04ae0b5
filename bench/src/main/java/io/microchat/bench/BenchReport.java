package io.microchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/** The figures of a benchmark: a readable table, and the same as JSON. */
public record BenchReport(BenchSettings settings, Map<String, String> versions, List<Run> runs) {

    /** One configuration (instances, cross-instance share) and its steps. */
    public record Run(int pods, double crossShare, int connections, double setupPerSecond, double coldSetupPerSecond,
                      double rssBytesPerIdleConnection, long serverRssBytes, List<Step> steps) {
    }

    /**
     * One rate.
     *
     * @param targetRate      messages per second asked for
     * @param perSecond       what was sent and delivered per second while measured
     * @param counts          what became of every message of the step, warm-up included
     * @param cross           latencies of messages between instances, from the intended send time
     * @param same            latencies of messages within an instance, from the intended send time
     * @param cpuPer1000      CPU seconds per 1,000 delivered
     * @param serverP99Millis the chat instances' own p99 (acceptance to socket write, bucket bound)
     */
    public record Step(int targetRate, Throughput perSecond, Counts counts, Latency cross, Latency same,
                       CpuPer1000 cpuPer1000, double serverP99Millis) {

        public double sendRate() {
            return perSecond.sent();
        }

        public double deliveredPerSecond() {
            return perSecond.delivered();
        }

        public double crossDeliveredPerSecond() {
            return perSecond.crossDelivered();
        }

        public int sent() {
            return counts.sent();
        }

        public int acked() {
            return counts.acked();
        }

        public int delivered() {
            return counts.delivered();
        }

        public int lost() {
            return counts.lost();
        }

        public int duplicated() {
            return counts.duplicated();
        }

        public double p99CrossMillis() {
            return cross.p99();
        }

        public double p99SameMillis() {
            return same.p99();
        }

        public double cpuSecondsPer1000() {
            return cpuPer1000.servers();
        }

        public double storeCpuSecondsPer1000() {
            return cpuPer1000.store();
        }

        public double generatorCpuSecondsPer1000() {
            return cpuPer1000.generator();
        }

        String line() {
            return String.format("%7d %9.0f %8d %8d %8d %5d %5d %9.0f | %6.1f %6.1f %6.1f %7.1f | %6.1f %6.1f %6.1f"
                                 + " %7.1f | %6.2f %5.2f %5.2f | %7.0f",
                                 targetRate, sendRate(), sent(), acked(), delivered(), lost(), duplicated(),
                                 deliveredPerSecond(), cross.p50(), cross.p95(), cross.p99(), cross.max(), same.p50(),
                                 same.p95(), same.p99(), same.max(), cpuSecondsPer1000(), storeCpuSecondsPer1000(),
                                 generatorCpuSecondsPer1000(), serverP99Millis);
        }
    }

    /**
     * Rates while a step was measured.
     *
     * @param sent           messages sent per second
     * @param delivered      messages delivered per second
     * @param crossDelivered messages delivered per second between instances
     */
    public record Throughput(double sent, double delivered, double crossDelivered) {
    }

    /**
     * What became of a step's messages.
     *
     * @param sent       messages sent
     * @param acked      acknowledged by the server ({@code sent} frames)
     * @param delivered  arrived at their recipient
     * @param lost       acknowledged but never arrived
     * @param duplicated arrived more than once on one connection (dropped by the client's log)
     */
    public record Counts(int sent, int acked, int delivered, int lost, int duplicated) {
    }

    /**
     * Latency percentiles in milliseconds.
     *
     * @param p50 the median
     * @param p95 the 95th percentile
     * @param p99 the 99th percentile
     * @param max the slowest
     */
    public record Latency(double p50, double p95, double p99, double max) {

        static Latency of(Latencies latencies) {
            return new Latency(latencies.percentileMillis(50), latencies.percentileMillis(95),
                               latencies.percentileMillis(99), latencies.percentileMillis(100));
        }

        JsonObjectBuilder json() {
            return Json.createObjectBuilder().add("p50", p50).add("p95", p95).add("p99", p99).add("max", max);
        }
    }

    /**
     * CPU seconds per 1,000 messages delivered, NaN where not measured.
     *
     * @param servers   the servers (chat, auth, Redis; of running services, the processes of --server-pids)
     * @param store     the MongoDB stand-in, not counted as a server
     * @param generator this generator, not counted as a server
     */
    public record CpuPer1000(double servers, double store, double generator) {
    }

    static final String HEADER = "   rate   sent/s     sent    acked  deliv'd  lost  dups   deliv/s |"
                                 + "  cross p50    p95    p99     max |   same p50    p95    p99     max |"
                                 + " cpu-s/1k store   gen | srv p99";

    public void print(PrintStream out) {
        out.printf("%nMicroChat benchmark on %d cores (%s); latencies in ms from the intended send time;"
                   + " cpu-s/1k: CPU seconds per 1,000 delivered of the servers (chat, auth, Redis; of running"
                   + " services, the processes of --server-pids), then of the"
                   + " MongoDB stand-in and of this generator, which are not counted as servers;"
                   + " srv p99: the chat instances' own p99 (acceptance to socket write, bucket bound);"
                   + " NaN: not measured (running services without --server-pids)%n",
                   Runtime.getRuntime().availableProcessors(), versionList());
        for (Run run : runs) {
            out.printf("%n%d instance(s), %.0f %% cross-instance, %d connections: setup %.0f/s (%.0f/s cold), %s%n",
                       run.pods(), run.crossShare() * 100, run.connections(), run.setupPerSecond(),
                       run.coldSetupPerSecond(), Double.isNaN(run.rssBytesPerIdleConnection())
                               ? "server memory not measured"
                               : String.format("%.1f KiB RSS per idle connection",
                                               run.rssBytesPerIdleConnection() / 1024));
            out.println(HEADER);
            run.steps().forEach(step -> out.println(step.line()));
        }
        costOfDistribution().ifPresent(cost -> out.printf(
                "%nCost of distribution at %d msgs/s: %.2f x the server CPU per 1,000 messages of one instance%n",
                cost.rate(), cost.ratio()));
        out.printf("%nTargets of the benchmark issue:%n");
        for (TargetCheck check : TargetCheck.of(this)) {
            out.printf("  %-12s %s: %s%n", check.verdict().label(), check.target(), check.detail());
        }
    }

    /**
     * The server CPU per message of the distributed run over that of the one-instance run, at the highest rate
     * both measured.
     *
     * @return the ratio, empty without a one-instance run or without CPU figures
     */
    Optional<CostOfDistribution> costOfDistribution() {
        if (runs.size() != 2) {
            return Optional.empty();
        }
        CostOfDistribution cost = null;
        for (Step step : runs.get(0).steps()) {
            for (Step other : runs.get(1).steps()) {
                if (other.targetRate() == step.targetRate() && !Double.isNaN(step.cpuSecondsPer1000())
                    && !Double.isNaN(other.cpuSecondsPer1000())) {
                    cost = new CostOfDistribution(step.targetRate(),
                                                  step.cpuSecondsPer1000() / other.cpuSecondsPer1000());
                }
            }
        }
        return Optional.ofNullable(cost);
    }

    /**
     * The cost of distribution.
     *
     * @param rate  the message rate compared
     * @param ratio server CPU per message, distributed over one instance
     */
    record CostOfDistribution(int rate, double ratio) {
    }

    public Path write(Path path) throws IOException {
        JsonArrayBuilder runsJson = Json.createArrayBuilder();
        for (Run run : runs) {
            JsonArrayBuilder steps = Json.createArrayBuilder();
            for (Step step : run.steps()) {
                steps.add(Json.createObjectBuilder()
                                  .add("targetRate", step.targetRate()).add("sendRate", step.sendRate())
                                  .add("sent", step.sent()).add("acknowledged", step.acked())
                                  .add("delivered", step.delivered()).add("lost", step.lost())
                                  .add("duplicated", step.duplicated())
                                  .add("deliveredPerSecond", step.deliveredPerSecond())
                                  .add("crossInstanceDeliveredPerSecond", step.crossDeliveredPerSecond())
                                  .add("crossPodMillis", step.cross().json())
                                  .add("samePodMillis", step.same().json())
                                  .add("serverCpuSecondsPer1000Delivered", number(step.cpuSecondsPer1000()))
                                  .add("storeCpuSecondsPer1000Delivered", number(step.storeCpuSecondsPer1000()))
                                  .add("generatorCpuSecondsPer1000Delivered",
                                       number(step.generatorCpuSecondsPer1000()))
                                  .add("serverSideP99Millis", number(step.serverP99Millis())));
            }
            runsJson.add(Json.createObjectBuilder()
                                 .add("instances", run.pods()).add("crossShare", run.crossShare())
                                 .add("connections", run.connections())
                                 .add("connectionSetupPerSecond", run.setupPerSecond())
                                 .add("coldConnectionSetupPerSecond", number(run.coldSetupPerSecond()))
                                 .add("serverRssBytesPerIdleConnection", number(run.rssBytesPerIdleConnection()))
                                 .add("serverRssBytes", run.serverRssBytes())
                                 .add("steps", steps));
        }
        String json = Json.createObjectBuilder()
                .add("cores", Runtime.getRuntime().availableProcessors())
                .add("versions", Json.createObjectBuilder(new LinkedHashMap<String, Object>(versions)))
                .add("users", settings.users())
                .add("p99BoundMillis", settings.p99BoundMillis())
                .add("runs", runsJson)
                .add("targets", targetsJson())
                .build().toString();
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.writeString(path, json + "\n");
        return path;
    }

    private JsonArrayBuilder targetsJson() {
        JsonArrayBuilder targets = Json.createArrayBuilder();
        for (TargetCheck check : TargetCheck.of(this)) {
            targets.add(Json.createObjectBuilder().add("target", check.target())
                                .add("verdict", check.verdict().label()).add("detail", check.detail()));
        }
        return targets;
    }

    private String versionList() {
        StringBuilder list = new StringBuilder();
        versions.forEach((name, version) -> list.append(list.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(version));
        return list.toString();
    }

    private static double number(double value) {
        return Double.isNaN(value) ? -1 : value;
    }
}
