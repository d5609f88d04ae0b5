package io.microchat.chat;

import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.microchat.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The counters named by a word are the registry's own, counted once per event, whoever counts them. */
class ChatMetricsTest {

    private final MeterRegistry registry = Metrics.globalRegistry();

    @Test
    void rejectionsErrorsAndClosedSessionsCountInTheRegistrysSeriesPerWord() throws Exception {
        ChatMetrics metrics = new ChatMetrics(registry, "metrics-test");
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    metrics.rejected(ErrorCode.OVERLOADED);
                    metrics.rejected("origin_forbidden"); // not one of those present from the start
                    metrics.error("mongodb");
                    metrics.sessionClosed("sweep");
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        metrics.rejected(ErrorCode.RATE_LIMITED);

        assertThat(count("chat.frames.rejected", "code", ErrorCode.OVERLOADED), is(4_000L));
        assertThat(count("chat.frames.rejected", "code", "origin_forbidden"), is(4_000L));
        assertThat(count("chat.frames.rejected", "code", ErrorCode.RATE_LIMITED), is(1L));
        assertThat(count("chat.frames.rejected", "code", ErrorCode.STORE_UNAVAILABLE), is(0L));
        assertThat(count("chat.errors", "component", "mongodb"), is(4_000L));
        assertThat(count("chat.errors", "component", "redis"), is(0L));
        assertThat(count("chat.sessions.closed", "how", "sweep"), is(4_000L));
    }

    private long count(String name, String tag, String value) {
        return registry.getOrCreate(Counter.builder(name).tags(List.of(Tag.create("chat_instance", "metrics-test"),
                                                                        Tag.create(tag, value)))).count();
    }
}
