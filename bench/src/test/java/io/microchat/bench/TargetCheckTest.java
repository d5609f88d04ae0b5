package io.microchat.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class TargetCheckTest {

    private static final BenchSettings SETTINGS = BenchSettings.parse(new String[0]);

    @Test
    void aRunThatReachesEveryTargetIsMetOnEveryLine() {
        BenchReport report = report(run(2, 5_000, 25_000, step(12_500, 10_000, 30, 40, 0)),
                                    run(1, 5_000, 22_000, step(12_500, 0, 0, 20, 0)));
        List<TargetCheck> checks = TargetCheck.of(report);
        assertThat(checks.size(), is(4));
        checks.forEach(check -> assertThat(check.target(), check.verdict(), is(TargetCheck.Verdict.MET)));
        assertThat(checks.get(1).detail(), containsString("24.4 KiB (25.0 KB)"));
        assertThat(checks.get(2).detail(), containsString("12,500 msgs/s delivered (10,000 cross-instance)"));
        assertThat(checks.get(3).detail(), containsString("2.00 x the server CPU per message at 12,500 msgs/s"));
    }

    @Test
    void theBestStepWithinTheBoundIsWhatCountsAndItCanFallShort() {
        BenchReport report = report(run(2, 5_000, 31_000, step(3_000, 2_400, 38, 37, 0),
                                        step(4_000, 3_200, 125, 112, 0)));
        List<TargetCheck> checks = TargetCheck.of(report);
        assertThat(checks.get(0).verdict(), is(TargetCheck.Verdict.MET));
        assertThat("31,000 bytes is not under 30 KB", checks.get(1).verdict(), is(TargetCheck.Verdict.MISSED));
        assertThat(checks.get(2).verdict(), is(TargetCheck.Verdict.MISSED));
        assertThat(checks.get(2).detail(), containsString("3,000 msgs/s delivered (2,400 cross-instance)"));
        assertThat(checks.get(3).verdict(), is(TargetCheck.Verdict.MISSED));
        assertThat(checks.get(3).detail(), is("no one-instance run"));
    }

    @Test
    void aLossOrAnUnmeasuredServerIsSaidAsSuch() {
        BenchReport report = report(run(2, 1_000, Double.NaN, step(1_000, 800, 10, 10, 3)));
        List<TargetCheck> checks = TargetCheck.of(report);
        assertThat(checks.get(0).verdict(), is(TargetCheck.Verdict.MISSED));
        assertThat(checks.get(0).detail(), is("1,000 on 2 instance(s)"));
        assertThat(checks.get(1).verdict(), is(TargetCheck.Verdict.NOT_MEASURED));
        assertThat(checks.get(2).verdict(), is(TargetCheck.Verdict.MISSED));
        assertThat(checks.get(2).detail(), containsString("3 lost"));
    }

    private static BenchReport report(BenchReport.Run... runs) {
        return new BenchReport(SETTINGS, Map.of(), List.of(runs));
    }

    private static BenchReport.Run run(int pods, int connections, double bytesPerIdle, BenchReport.Step... steps) {
        return new BenchReport.Run(pods, pods > 1 ? 0.8 : 0, connections, 300, 100, bytesPerIdle, 400_000_000L,
                                   List.of(steps));
    }

    /** A step; server CPU 0.2 s per 1,000 on two instances and 0.1 on one, so the ratio is 2. */
    private static BenchReport.Step step(int rate, double crossPerSecond, double p99Cross, double p99Same, int lost) {
        double cpu = crossPerSecond > 0 ? 0.2 : 0.1;
        return new BenchReport.Step(rate, new BenchReport.Throughput(rate, rate, crossPerSecond),
                                    new BenchReport.Counts(rate * 10, rate * 10, rate * 10 - lost, lost, 0),
                                    new BenchReport.Latency(1, 5, p99Cross, p99Cross + 10),
                                    new BenchReport.Latency(1, 5, p99Same, p99Same + 10),
                                    new BenchReport.CpuPer1000(cpu, 0.1, 0.1), 25);
    }
}
