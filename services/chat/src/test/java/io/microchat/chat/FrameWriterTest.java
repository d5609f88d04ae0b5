package io.microchat.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

class FrameWriterTest {

    /** Frames around every length boundary of the header (7, 16 and 64 bits), and characters of 2 to 4 bytes. */
    private static final List<String> FRAMES = List.of(
            "", "x".repeat(125), "y".repeat(126), "é".repeat(32_767) + "z", "a".repeat(65_536), "😀 ü € {}",
            "b".repeat(65_535));

    /** Decodes what {@link FrameWriter#encode} wrote as RFC 6455 server frames: FIN text, unmasked. */
    private static List<String> decode(byte[] bytes) {
        List<String> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.hasRemaining()) {
            assertThat(in.get() & 0xFF, is(0x81));
            int second = in.get() & 0xFF;
            assertThat("masked", second & 0x80, is(0));
            long length = second & 0x7F;
            if (length == 126) {
                length = in.getShort() & 0xFFFF;
            } else if (length == 127) {
                length = in.getLong();
            }
            byte[] payload = new byte[(int) length];
            in.get(payload);
            frames.add(new String(payload, StandardCharsets.UTF_8));
        }
        return frames;
    }

    @Test
    void framesAreEncodedWithTheShortestLengthEachOneAfterTheOther() {
        byte[] encoded = FrameWriter.encode(FRAMES);
        assertThat(decode(encoded), is(FRAMES));
        assertThat(FrameWriter.encode(List.of("x".repeat(125))).length, is(127));
        assertThat(FrameWriter.encode(List.of("x".repeat(126))).length, is(130));
        assertThat(FrameWriter.encode(List.of("x".repeat(65_535))).length, is(65_539));
        assertThat(FrameWriter.encode(List.of("x".repeat(65_536))).length, is(65_546));
        // a lone surrogate is not valid UTF-8: it goes out as '?', and the length counts what is written
        assertThat(decode(FrameWriter.encode(List.of("a\uD83Db", "c"))), contains("a?b", "c"));
    }

    @Test
    void aSessionThatIsNotHelidonsConnectionIsWrittenFrameByFrameInFragments() {
        List<String> sent = new ArrayList<>();
        List<Boolean> lasts = new ArrayList<>();
        FrameWriter writer = FrameWriter.of(new RecordingSession() {
            @Override
            public WsSession send(String text, boolean last) {
                sent.add(text);
                lasts.add(last);
                return this;
            }
        });
        assertThat(writer.batches(), is(false));
        String large = "x".repeat(2 * Outbox.FRAGMENT_BYTES + 1);
        writer.write(List.of("a", large));
        assertThat(String.join("", sent), is("a" + large));
        assertThat(lasts, contains(true, false, false, true));
    }

    /**
     * An outbox on a real connection: a burst goes out in batches, every frame in order, then the close asked for
     * after them, and everything charged is released.
     */
    @Test
    void aBurstReachesAClientInOrderAndTheCloseComesAfterIt() throws Exception {
        OutboxBudgets budgets = new OutboxBudgets(1L << 24, 1L << 24, 1L << 30);
        ChatMetrics metrics = new ChatMetrics(io.helidon.metrics.api.Metrics.globalRegistry(), "frame-writer-test");
        int count = 2_000;
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        Outbox outbox = new Outbox(session, FrameWriter.of(session), Thread.currentThread(), metrics,
                                                   budgets);
                        for (int i = 0; i < count; i++) {
                            outbox.add("{\"n\":" + i + ",\"pad\":\"" + "é".repeat(i % 300) + "\"}", 0, null);
                        }
                        outbox.closeAfterQueued(4000, "done");
                    }
                }))
                .build().start();
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                                                  new Collecting(received, closed)).get(10, TimeUnit.SECONDS);
            assertThat(closed.get(20, TimeUnit.SECONDS), is(4000));
        } finally {
            server.stop();
        }
        assertThat(received.size(), is(count));
        for (int i = 0; i < count; i++) {
            assertThat(received.get(i), is("{\"n\":" + i + ",\"pad\":\"" + "é".repeat(i % 300) + "\"}"));
        }
        await().until(() -> budgets.total() == 0);
    }

    /** Whole messages, reassembled from what the JDK's client hands over (one call at a time), and the close code. */
    private static final class Collecting implements WebSocket.Listener {
        private final List<String> received;
        private final CompletableFuture<Integer> closed;
        private final StringBuilder partial = new StringBuilder();

        private Collecting(List<String> received, CompletableFuture<Integer> closed) {
            this.received = received;
            this.closed = closed;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    /**
     * The Helidon this is built with: its server connection is written in batches, and a client reads each frame of
     * a batch as a message of its own, in order. Fails when a Helidon upgrade stops answering the connection's
     * context as the session's socket context (then every frame would be one write again).
     */
    @Test
    void helidonsConnectionIsWrittenInBatchesThatAClientReadsFrameByFrame() throws Exception {
        CompletableFuture<Boolean> batched = new CompletableFuture<>();
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        FrameWriter writer = FrameWriter.of(session);
                        batched.complete(writer.batches());
                        writer.write(FRAMES);
                        writer.write(List.of("last"));
                    }
                }))
                .build().start();
        List<String> received = new CopyOnWriteArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                                new Collecting(received, new CompletableFuture<>()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(batched.get(10, TimeUnit.SECONDS), is(true));
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == FRAMES.size() + 1);
            List<String> expected = new ArrayList<>(FRAMES);
            expected.add("last");
            assertThat(received, is(expected));
            socket.abort();
        } finally {
            server.stop();
        }
    }
}
