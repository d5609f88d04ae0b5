package io.microchat.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Every figure of a step lands in its own place in the table and in the JSON, under its own name. */
class BenchReportTest {

    private static final BenchReport.Step STEP = new BenchReport.Step(
            1000,
            new BenchReport.Throughput(999.0, 998.0, 797.0),
            new BenchReport.Counts(12000, 11999, 11998, 1, 2),
            new BenchReport.Latency(3.1, 4.2, 5.3, 6.4),
            new BenchReport.Latency(7.1, 8.2, 9.3, 10.4),
            new BenchReport.CpuPer1000(0.25, 0.5, Double.NaN),
            11.0);

    @Test
    void theTableLineHasEveryFigureInItsColumn() {
        assertThat(STEP.line(), is("   1000       999    12000    11999    11998     1     2       998 |"
                                   + "    3.1    4.2    5.3     6.4 |    7.1    8.2    9.3    10.4 |"
                                   + "   0.25  0.50   NaN |      11"));
    }

    @Test
    void theJsonNamesEveryFigure(@TempDir Path dir) throws Exception {
        BenchSettings settings = BenchSettings.parse(new String[] {"--users", "6"});
        BenchReport report = new BenchReport(settings, Map.of("redis", "7.0"), List.of(
                new BenchReport.Run(2, 0.8, 100, 300.0, 100.0, 2048.0, 400_000_000L, List.of(STEP))));
        String json = Files.readString(report.write(dir.resolve("bench.json")));
        JsonObject step = Json.createReader(new StringReader(json)).readObject().getJsonArray("runs")
                .getJsonObject(0).getJsonArray("steps").getJsonObject(0);
        assertThat(step.getInt("targetRate"), is(1000));
        assertThat(step.getJsonNumber("sendRate").doubleValue(), is(999.0));
        assertThat(step.getInt("sent"), is(12000));
        assertThat(step.getInt("acknowledged"), is(11999));
        assertThat(step.getInt("delivered"), is(11998));
        assertThat(step.getInt("lost"), is(1));
        assertThat(step.getInt("duplicated"), is(2));
        assertThat(step.getJsonNumber("deliveredPerSecond").doubleValue(), is(998.0));
        assertThat(step.getJsonNumber("crossInstanceDeliveredPerSecond").doubleValue(), is(797.0));
        assertThat(step.getJsonObject("crossPodMillis").toString(), is("{\"p50\":3.1,\"p95\":4.2,\"p99\":5.3,\"max\":6.4}"));
        assertThat(step.getJsonObject("samePodMillis").toString(),
                   is("{\"p50\":7.1,\"p95\":8.2,\"p99\":9.3,\"max\":10.4}"));
        assertThat(step.getJsonNumber("serverCpuSecondsPer1000Delivered").doubleValue(), is(0.25));
        assertThat(step.getJsonNumber("storeCpuSecondsPer1000Delivered").doubleValue(), is(0.5));
        assertThat("not measured", step.getJsonNumber("generatorCpuSecondsPer1000Delivered").doubleValue(), is(-1.0));
        assertThat(step.getJsonNumber("serverSideP99Millis").doubleValue(), is(11.0));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8), containsString(STEP.line()));
    }
}
