package io.microchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One target of the benchmark issue, checked against a report's figures, so that a missed target shows in the
 * output rather than only in numbers to compare by hand. The targets are the issue's, whatever bound the run
 * stepped with.
 *
 * @param target  the target, in words
 * @param verdict met, missed or not measured
 * @param detail  the figures behind the verdict
 */
record TargetCheck(String target, Verdict verdict, String detail) {

    static final int CONNECTIONS = 5_000;
    /** "Under 30 KB": bytes. */
    static final double BYTES_PER_IDLE_CONNECTION = 30_000;
    static final double CROSS_INSTANCE_PER_SECOND = 10_000;
    static final double P99_MILLIS = 50;

    /** What a check found. */
    enum Verdict {
        MET("met"), MISSED("MISSED"), NOT_MEASURED("not measured");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * Checks the targets: connections, memory and throughput on the first (distributed) run, and that a
     * one-instance run gave the cost of distribution.
     *
     * @param report the figures
     * @return one check per target, in the order
     */
    static List<TargetCheck> of(BenchReport report) {
        List<TargetCheck> checks = new ArrayList<>();
        BenchReport.Run distributed = report.runs().getFirst();
        boolean twoOrMore = distributed.pods() >= 2;

        String connections = String.format(Locale.ROOT, "%,d concurrent authenticated connections across two "
                                                        + "instances", CONNECTIONS);
        String opened = String.format(Locale.ROOT, "%,d on %d instance(s)", distributed.connections(),
                                      distributed.pods());
        checks.add(new TargetCheck(connections, twoOrMore && distributed.connections() >= CONNECTIONS
                ? Verdict.MET : Verdict.MISSED, opened));

        double perIdle = distributed.rssBytesPerIdleConnection();
        checks.add(new TargetCheck("under 30 KB of server memory per idle connection", Double.isNaN(perIdle)
                ? Verdict.NOT_MEASURED : perIdle < BYTES_PER_IDLE_CONNECTION ? Verdict.MET : Verdict.MISSED,
                Double.isNaN(perIdle) ? "no server processes to read"
                        : String.format(Locale.ROOT, "%.1f KiB (%.1f KB) RSS slope", perIdle / 1024, perIdle / 1000)));

        checks.add(throughput(distributed, twoOrMore));

        checks.add(report.costOfDistribution()
                .map(cost -> new TargetCheck("the same run on one instance, the cost of distribution as a ratio",
                                             Verdict.MET, String.format(Locale.ROOT, "%.2f x the server CPU per "
                                                                        + "message at %,d msgs/s", cost.ratio(),
                                                                        cost.rate())))
                .orElseGet(() -> new TargetCheck("the same run on one instance, the cost of distribution as a ratio",
                                                 report.runs().size() == 2 ? Verdict.NOT_MEASURED : Verdict.MISSED,
                                                 report.runs().size() == 2 ? "no server CPU figures"
                                                         : "no one-instance run")));
        return checks;
    }

    private static TargetCheck throughput(BenchReport.Run run, boolean twoOrMore) {
        String target = String.format(Locale.ROOT, "%,.0f cross-instance messages a second, p99 under %.0f ms, none "
                                                   + "lost or duplicated", CROSS_INSTANCE_PER_SECOND, P99_MILLIS);
        BenchReport.Step best = null;
        for (BenchReport.Step step : run.steps()) {
            boolean within = step.lost() == 0 && step.duplicated() == 0 && step.p99CrossMillis() < P99_MILLIS
                             && step.p99SameMillis() < P99_MILLIS;
            if (within && (best == null || step.crossDeliveredPerSecond() > best.crossDeliveredPerSecond())) {
                best = step;
            }
        }
        if (best == null) {
            BenchReport.Step first = run.steps().getFirst();
            return new TargetCheck(target, Verdict.MISSED, String.format(
                    Locale.ROOT, "no step within it; the first, %,d msgs/s: p99 %.1f ms cross, %.1f same, %d lost, "
                                 + "%d duplicated", first.targetRate(), first.p99CrossMillis(), first.p99SameMillis(),
                    first.lost(), first.duplicated()));
        }
        boolean met = twoOrMore && best.crossDeliveredPerSecond() >= CROSS_INSTANCE_PER_SECOND;
        return new TargetCheck(target, met ? Verdict.MET : Verdict.MISSED, String.format(
                Locale.ROOT, "best step within it: %,.0f msgs/s delivered (%,.0f cross-instance), p99 %.1f ms cross, "
                             + "%.1f same", best.deliveredPerSecond(), best.crossDeliveredPerSecond(),
                best.p99CrossMillis(), best.p99SameMillis()));
    }
}
