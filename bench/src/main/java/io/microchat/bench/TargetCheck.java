package io.microchat.bench;

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
        BenchReport.Run distributed = report.runs().getFirst();
        return List.of(connections(distributed), memory(distributed), throughput(distributed), oneInstance(report));
    }

    private static TargetCheck connections(BenchReport.Run run) {
        String target = String.format(Locale.ROOT, "%,d concurrent authenticated connections across two instances",
                                      CONNECTIONS);
        boolean met = run.pods() >= 2 && run.connections() >= CONNECTIONS;
        return new TargetCheck(target, met ? Verdict.MET : Verdict.MISSED,
                               String.format(Locale.ROOT, "%,d on %d instance(s)", run.connections(), run.pods()));
    }

    private static TargetCheck memory(BenchReport.Run run) {
        String target = "under 30 KB of server memory per idle connection";
        double perIdle = run.rssBytesPerIdleConnection();
        if (Double.isNaN(perIdle)) {
            return new TargetCheck(target, Verdict.NOT_MEASURED, "no server processes to read");
        }
        return new TargetCheck(target, perIdle < BYTES_PER_IDLE_CONNECTION ? Verdict.MET : Verdict.MISSED,
                               String.format(Locale.ROOT, "%.1f KiB (%.1f KB) RSS slope", perIdle / 1024,
                                             perIdle / 1000));
    }

    private static TargetCheck oneInstance(BenchReport report) {
        String target = "the same run on one instance, the cost of distribution as a ratio";
        if (report.runs().size() != 2) {
            return new TargetCheck(target, Verdict.MISSED, "no one-instance run");
        }
        return report.costOfDistribution()
                .map(cost -> new TargetCheck(target, Verdict.MET, String.format(
                        Locale.ROOT, "%.2f x the server CPU per message at %,d msgs/s", cost.ratio(), cost.rate())))
                .orElseGet(() -> new TargetCheck(target, Verdict.NOT_MEASURED, "no server CPU figures"));
    }

    private static TargetCheck throughput(BenchReport.Run run) {
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
        boolean met = run.pods() >= 2 && best.crossDeliveredPerSecond() >= CROSS_INSTANCE_PER_SECOND;
        return new TargetCheck(target, met ? Verdict.MET : Verdict.MISSED, String.format(
                Locale.ROOT, "best step within it: %,.0f msgs/s delivered (%,.0f cross-instance), p99 %.1f ms cross, "
                             + "%.1f same", best.deliveredPerSecond(), best.crossDeliveredPerSecond(),
                best.p99CrossMillis(), best.p99SameMillis()));
    }
}
