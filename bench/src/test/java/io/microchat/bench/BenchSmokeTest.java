package io.microchat.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The benchmark at a tiny size, so that it keeps working; real figures come from `make bench`. */
class BenchSmokeTest {

    @Test
    void aTinyRunDeliversEverythingOnceAndReportsIt() throws Exception {
        Path out = Path.of("target/bench-smoke.json");
        BenchSettings settings = BenchSettings.parse(new String[] {
                "--root", System.getProperty("microchat.root", ".."), "--users", "6", "--connections", "12",
                "--idle-low", "6", "--connect-warmup", "4", "--rates", "40", "--jit-warmup", "1", "--warmup", "1",
                "--step", "2", "--drain-ms", "2000", "--p99-ms", "10000", "--single-pod", "true", "--out", out.toString()});
        BenchReport report = Bench.run(settings);
        report.print(System.out);
        report.write(out);

        assertThat(report.runs().size(), is(2));
        for (BenchReport.Run run : report.runs()) {
            BenchReport.Step step = assertEverySentMessageArrivedOnce(run, 120);
            assertThat(step.p99SameMillis() + step.p99CrossMillis(), greaterThan(0.0));
            assertThat(run.coldSetupPerSecond(), greaterThan(0.0));
        }
        assertThat(report.runs().getFirst().steps().getFirst().p99CrossMillis(), greaterThan(0.0));
        String json = Files.readString(out);
        assertThat(json, containsString("\"cores\":"));
        assertThat(json, containsString("\"helidon\":\"4."));
        assertThat(json, containsString("\"redis\":\""));
        assertThat(json, not(containsString("${")));
        assertThat(json, containsString("\"targets\":[{\"target\":"));
        assertThat(json, containsString("\"serverCpuSecondsPer1000Delivered\""));
        assertThat(json, containsString("\"coldConnectionSetupPerSecond\""));
    }

    @Test
    void aRunAgainstRunningServicesMeasuresWhatThisMachineCanSee() throws Exception {
        Path root = Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
        try (TemporaryDirectory data = TemporaryDirectory.create("bench-target-test");
             LocalStack stack = LocalStack.start(LocalStack.Settings.onFreePorts(root, data.path(), 2, System.out))) {
            String chatPids = stack.chat(0).pid() + "," + stack.chat(1).pid();
            BenchSettings settings = BenchSettings.parse(new String[] {
                    "--auth-url", stack.authUrl(), "--chat-urls", String.join(",", stack.chatUrls()),
                    "--server-pids", chatPids, "--users", "4", "--connections", "8", "--idle-low", "4",
                    "--connect-warmup", "0", "--rates", "20", "--jit-warmup", "0", "--warmup", "1", "--step", "2",
                    "--drain-ms", "2000", "--p99-ms", "10000", "--single-pod", "true",
                    "--out", "target/bench-target.json"});
            BenchReport report = Bench.run(settings);
            report.print(System.out);

            assertThat(report.runs().size(), is(2));
            assertThat(report.runs().get(0).pods(), is(2));
            assertThat(report.runs().get(1).pods(), is(1));
            for (BenchReport.Run run : report.runs()) {
                BenchReport.Step step = assertEverySentMessageArrivedOnce(run, 60);
                assertThat("the given processes' CPU", step.cpuSecondsPer1000(), greaterThan(0.0));
                assertThat("no store process was given", Double.isNaN(step.storeCpuSecondsPer1000()), is(true));
                assertThat(run.serverRssBytes(), greaterThan(0L));
            }
        }
    }

    private static BenchReport.Step assertEverySentMessageArrivedOnce(BenchReport.Run run, int sent) {
        BenchReport.Step step = run.steps().getFirst();
        assertThat(step.sent(), is(sent));
        assertThat(step.acked(), is(sent));
        assertThat(step.delivered(), is(sent));
        assertThat(step.lost(), is(0));
        assertThat(step.duplicated(), is(0));
        return step;
    }
}
