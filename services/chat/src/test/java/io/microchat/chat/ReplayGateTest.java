package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * {@link ReplayGate}: overlapping replays are counted, and the gate opens once, when the last one ends.
 */
class ReplayGateTest {

    private final List<String> out = new ArrayList<>();
    private final ReplayGate gate = new ReplayGate(held -> out.add(held.frame()));
    private final MessageIds ids = new MessageIds();

    @Test
    void overlappingReplaysEndWithOneTrailerTheirMessagesOnceInOrderThenTheHeldFrames() {
        ReplayGate.Held older = held(1_000);
        ReplayGate.Held newer = held(2_000);
        ReplayGate.Held live = held(3_000);
        gate.start(); // the auth's replay
        gate.start(); // a catch-up
        gate.pass(live);
        gate.pass(newer); // live, and carried by a replay too
        gate.finish(List.of(newer), "trailer-catch-up");
        assertThat("nothing goes out while a replay still runs", out, empty());

        gate.finish(List.of(older, newer), "trailer-auth");
        assertThat(out, contains(older.frame(), newer.frame(), "trailer-catch-up", live.frame()));

        gate.pass(held(4_000));
        assertThat("the gate is open again", out.size(), is(5));
    }

    private ReplayGate.Held held(long ts) {
        ChatMessage message = new ChatMessage(ids.next(ts), ts, "bob", "alice", null, "at " + ts, "c" + ts, null);
        return new ReplayGate.Held(message, "message-" + ts, ChatMetrics.Path.REPLAY);
    }
}
