package io.microchat.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

class ServerProcessesTest {

    @Test
    void readsCpuAndMemoryOfLiveProcessesFromProc() {
        ServerProcesses self = new ServerProcesses(List.of(ProcessHandle.current().pid()));
        assertThat(self.cpuSeconds(), greaterThan(0.0));
        assertThat(self.rssBytes(), greaterThan(1_000_000L));
    }

    @Test
    void withoutProcessesNothingIsMeasuredRatherThanZero() {
        ServerProcesses none = new ServerProcesses(List.of());
        assertThat(Double.isNaN(none.cpuSeconds()), is(true));
        assertThat(none.rssBytes(), is(-1L));
    }
}
