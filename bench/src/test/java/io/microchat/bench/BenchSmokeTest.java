package io.microchat.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The benchmark at a tiny size, so that it keeps working; real figures come from `make bench`. */
class BenchSmokeTest {

    @Test
    void aTinyRunDeliversEverythingOnceAndReportsIt() throws Exception {
        Path out = Path.of("target/bench-smoke.json");
        BenchSettings settings = BenchSettings.parse(new String[] {
                "--root", System.getProperty("microchat.root", ".."), "--users", "6", "--connections", "12",
                "--idle-low", "6", "--connect-warmup", "4", "--rates", "40", "--jit-warmup", "1", "--warmup", "1", "--step", "2", "--drain-ms", "2000",
                "--p99-ms", "10000", "--single-pod", "true", "--out", out.toString()});
        BenchReport report = Bench.run(settings);
        report.print(System.out);
        report.write(out);

        assertThat(report.runs().size(), is(2));
        for (BenchReport.Run run : report.runs()) {
            BenchReport.Step step = run.steps().getFirst();
            assertThat(step.sent(), is(120));
            assertThat(step.acked(), is(120));
            assertThat(step.delivered(), is(120));
            assertThat(step.lost(), is(0));
            assertThat(step.duplicated(), is(0));
            assertThat(step.p99SameMillis() + step.p99CrossMillis(), greaterThan(0.0));
            assertThat(run.coldSetupPerSecond(), greaterThan(0.0));
        }
        assertThat(report.runs().getFirst().steps().getFirst().p99CrossMillis(), greaterThan(0.0));
        String json = Files.readString(out);
        assertThat(json, containsString("\"cores\":"));
        assertThat(json, containsString("\"serverCpuSecondsPer1000Delivered\""));
        assertThat(json, containsString("\"coldConnectionSetupPerSecond\""));
    }
}
