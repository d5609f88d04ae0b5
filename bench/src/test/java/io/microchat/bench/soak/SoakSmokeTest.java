package io.microchat.bench.soak;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The soak, small enough for `make test` (a minute of traffic, five kills, a Redis restart, a store pause, slow
 * readers): nothing acknowledged lost, nothing shown twice, presence right, memory bounded. `make soak` runs the
 * long one.
 */
class SoakSmokeTest {

    @Test
    void aMinuteOfChaosLosesAndDuplicatesNothing() throws Exception {
        SoakSettings settings = SoakSettings.parse(new String[] {
                "--root", System.getProperty("microchat.root", ".."), "--duration", "64", "--users", "60",
                "--rate", "30", "--chaos-every", "8", "--slow-readers", "2", "--settle", "40"});
        SoakReport report = Soak.run(settings);
        report.print(System.out);

        assertThat(report.acknowledged(), greaterThan(1_000));
        assertThat("kills", report.kills(), greaterThanOrEqualTo(4L));
        assertThat("slow readers closed by the server", report.slowReadersClosed(), is(report.slowReaders()));
        assertThat("lost " + report.lostCauses(), report.lost(), is(0));
        assertThat(report.duplicated(), is(0));
        assertThat("connected users shown offline", report.wrongOnline(), is(0));
        assertThat("departed users shown online", report.wrongOffline(), is(0));
        assertThat("within a chat pod's memory", report.passed(), is(true));
    }
}
