package io.microchat.bench.idle;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassHistogramTest {

    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000        9000000  [B (java.base@25.0.3)
               2:          1000         168000  java.lang.VirtualThread (java.base@25.0.3)
               3:           500          28000  io.microchat.chat.Connection
               4:            10           4000  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
               5:          1000          64000  io.helidon.webserver.websocket.WsConnection (io.helidon.ws@4.1.2)
            Total          3510        9264000
            """;

    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          3000       27000000  [B (java.base@25.0.3)
               2:          3000         504000  java.lang.VirtualThread (java.base@25.0.3)
               3:          1500          84000  io.microchat.chat.Connection
               4:          2000          48000  [Lio.microchat.chat.Connection;
               5:            99          99000  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
               6:          3000         192000  io.helidon.webserver.websocket.WsConnection (io.helidon.ws@4.1.2)
               7:          2000          80000  sun.nio.ch.NioSocketImpl (java.base@25.0.3)
               8:          1000          32000  io.microchat.chat.Connection
            Total         15599       28039000
            """;

    @Test
    void readsRowsWithAndWithoutModuleAndMergesClassesOfTwoLoaders() {
        ClassHistogram after = ClassHistogram.parse(AFTER);

        assertThat(after.classes().get("[B"), is(new ClassHistogram.Row(3000, 27_000_000)));
        assertThat(after.classes().get("io.microchat.chat.Connection"), is(new ClassHistogram.Row(2500, 116_000)));
        assertThat(after.classes().containsKey("Total"), is(false));
    }

    @Test
    void leavesOutTheCollectorsFillers() {
        assertThat(ClassHistogram.parse(AFTER).classes().keySet().stream()
                           .anyMatch(name -> name.contains("Filler")), is(false));
    }

    @Test
    void differenceIsPerClassAndCountsClassesOnOneSideOnly() {
        ClassHistogram diff = ClassHistogram.parse(AFTER).minus(ClassHistogram.parse(BEFORE));

        assertThat(diff.classes().get("[B"), is(new ClassHistogram.Row(2000, 18_000_000)));
        assertThat(diff.classes().get("sun.nio.ch.NioSocketImpl"), is(new ClassHistogram.Row(2000, 80_000)));
        assertThat(diff.totalBytes(), is(18_000_000L + 336_000 + 88_000 + 48_000 + 128_000 + 80_000));
        assertThat(ClassHistogram.parse(BEFORE).minus(ClassHistogram.parse(AFTER)).classes()
                           .get("sun.nio.ch.NioSocketImpl"), is(new ClassHistogram.Row(-2000, -80_000)));
    }

    @Test
    void groupsBytesByOwner() {
        Map<ClassHistogram.Owner, Long> owners = ClassHistogram.parse(AFTER).minus(ClassHistogram.parse(BEFORE))
                .bytesByOwner();

        assertThat(owners.get(ClassHistogram.Owner.MICROCHAT), is(88_000L + 48_000));
        assertThat(owners.get(ClassHistogram.Owner.HELIDON), is(128_000L));
        assertThat(owners.get(ClassHistogram.Owner.THREAD), is(336_000L));
        assertThat(owners.get(ClassHistogram.Owner.SOCKET), is(80_000L));
        assertThat(owners.get(ClassHistogram.Owner.JDK), is(18_000_000L));
    }

    @Test
    void largestComeFirst() {
        ClassHistogram diff = ClassHistogram.parse(AFTER).minus(ClassHistogram.parse(BEFORE));

        assertThat(diff.largest(3).stream().map(Map.Entry::getKey).toList(),
                   contains("[B", "java.lang.VirtualThread", "io.helidon.webserver.websocket.WsConnection"));
    }

    @Test
    void refusesWhatIsNotAHistogram() {
        assertThrows(IllegalArgumentException.class, () -> ClassHistogram.parse("12345:\nNo such process\n"));
    }
}
