package io.microchat.chat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static io.microchat.chat.ChatTestStack.ws;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The edges of the handshake and the replay: more missed than one replay carries (by one, and by a hundred), sends
 * during the replay, the order of the first frames, the overlap of a resume, and frames over the size limits.
 * One chat instance in this JVM with the default replay limit (2,000) and no send-rate limit.
 */
class ReplayEdgesTest {

    private static final int LIMIT = 2_000;
    private static ChatTestStack stack;
    private static ChatServer chat;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        chat = stack.chatInProcess("chat-replay", Map.of("app.limits.messages-per-second", "100000",
                                                         "app.limits.burst", "100000",
                                                         "app.replay.overlap", "PT3S"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void oneMoreThanTheLimitMissedByANewDeviceArrivesInFull() throws Exception {
        AuthClient.Token sender = stack.newUser("lsender");
        AuthClient.Token recipient = stack.newUser("lrecipient");
        List<String> ids;
        try (ChatClient s = connect(chat.port(), sender)) {
            ids = sendMany(s, recipient.username(), LIMIT + 1, "missed ");
        }
        try (ChatClient r = connect(chat.port(), recipient)) {
            JsonObject replayed = r.awaitReplayed(WAIT);
            assertThat(replayed.toString(), replayed.getBoolean("truncated"), is(true));
            assertThat(replayed.getInt("count"), is(LIMIT));
            assertThat("the replay carries the newest; the cursor is the oldest replayed", replayed.getString("before"),
                       is(ids.get(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(r.log()::contains));
            assertThat(r.log().messages().size(), is(LIMIT + 1));
        }
    }

    @Test
    void twoThousandOneHundredMissedAndSendsDuringTheReplayAllArrive() throws Exception {
        AuthClient.Token sender = stack.newUser("rsender");
        AuthClient.Token other = stack.newUser("rother");
        AuthClient.Token recipient = stack.newUser("rrecipient");
        MessageLog log = new MessageLog();
        try (ChatClient s = connect(chat.port(), sender); ChatClient o = connect(chat.port(), other)) {
            String first;
            try (ChatClient r = connect(chat.port(), recipient, log)) {
                first = s.sendPrivate(recipient.username(), "before the gap").get(10, TimeUnit.SECONDS).getString("id");
                await().atMost(WAIT).until(() -> log.contains(first));
            }
            List<String> missed = sendMany(s, recipient.username(), 2_100, "while away ");
            // the last of these is stored within the last second before the reconnect; the other user keeps
            // sending while the replay runs
            List<CompletableFuture<JsonObject>> during = new CopyOnWriteArrayList<>();
            Thread concurrent = Thread.startVirtualThread(() -> {
                for (int i = 0; i < 200; i++) {
                    during.add(o.sendPrivate(recipient.username(), "during the replay " + i));
                    sleep(2);
                }
            });
            try (ChatClient r = connect(chat.port(), recipient, log)) {
                concurrent.join();
                List<String> duringIds = new ArrayList<>();
                for (CompletableFuture<JsonObject> send : during) {
                    duringIds.add(send.get(10, TimeUnit.SECONDS).getString("id"));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> missed.stream().allMatch(log::contains)
                                                                   && duringIds.stream().allMatch(log::contains));
                assertThat(log.messages().size(), is(1 + missed.size() + duringIds.size()));
                JsonObject replayed = r.awaitReplayed(WAIT);
                assertThat(replayed.getBoolean("truncated"), is(true));
                assertThat("a resume says where the replay started", replayed.containsKey("after"), is(true));
                assertThat(r.caughtUp().get(30, TimeUnit.SECONDS), org.hamcrest.Matchers.greaterThan(0));
            }
        }
    }

    @Test
    void aResumeRepeatsAtMostTheOverlapBeforeTheLastMessageHeld() throws Exception {
        AuthClient.Token sender = stack.newUser("osender");
        AuthClient.Token recipient = stack.newUser("orecipient");
        MessageLog log = new MessageLog();
        try (ChatClient s = connect(chat.port(), sender); ChatClient r = connect(chat.port(), recipient, log)) {
            String old = s.sendPrivate(recipient.username(), "older than the overlap").get(10, TimeUnit.SECONDS)
                    .getString("id");
            Thread.sleep(3_500);
            List<String> recent = sendMany(s, recipient.username(), 5, "within the overlap ");
            await().atMost(WAIT).until(() -> recent.stream().allMatch(log::contains));
        }
        List<String> replayed = new CopyOnWriteArrayList<>();
        ChatClient.Options options = ChatClient.Options.DEFAULT.withOnFrame(f -> {
            if ("message".equals(f.getString("type"))) {
                replayed.add(f.getString("id"));
            }
        });
        try (ChatClient again = ChatClient.connect(ws(chat.port()), recipient.username(), recipient.value(), log,
                                                   options)) {
            again.awaitReplayed(WAIT);
            assertThat("the 3 s overlap re-sends what came within 3 s of the last message held, no more",
                       replayed.size(), is(5));
        }
    }

    @Test
    void whileAGapIsOpenTheClientResumesFromBeforeIt() {
        MessageLog log = new MessageLog();
        log.add(jakarta.json.Json.createObjectBuilder().add("id", "000000000001aaaa000001").build());
        int onTheDeadConnection = log.openGap("000000000001aaaa000001");
        log.add(jakarta.json.Json.createObjectBuilder().add("id", "000000000009aaaa000001").build());
        assertThat(log.resumeAfter(), is("000000000001aaaa000001"));
        int onTheNextConnection = log.openGap("000000000001aaaa000001");
        log.closeGap(onTheDeadConnection);
        assertThat("only the paging started last closes the gap", log.resumeAfter(), is("000000000001aaaa000001"));
        log.closeGap(onTheNextConnection);
        assertThat(log.resumeAfter(), is("000000000009aaaa000001"));
    }

    @Test
    void missedPagesSpanEveryConversationAndRefuseAConversation() throws Exception {
        AuthClient.Token user = stack.newUser("mpages");
        try (ChatClient client = connect(chat.port(), user)) {
            client.sendRaw("{\"type\":\"history\",\"requestId\":\"bad\",\"missed\":true,\"with\":\"x\"}");
            assertThat(client.awaitError("invalid_field", WAIT).getString("requestId"), is("bad"));
            client.sendRaw("{\"type\":\"history\",\"missed\":true,\"before\":\"not-an-id\"}");
            client.awaitError("invalid_field", WAIT);
        }
    }

    @Test
    void conversationsListTheNewestMessageOfEachNewestFirst() throws Exception {
        AuthClient.Token me = stack.newUser("cme");
        AuthClient.Token first = stack.newUser("cfirst");
        AuthClient.Token second = stack.newUser("csecond");
        try (ChatClient client = connect(chat.port(), me)) {
            client.sendPrivate(first.username(), "older").get(10, TimeUnit.SECONDS);
            client.sendPrivate(second.username(), "to the second").get(10, TimeUnit.SECONDS);
            String newest = client.sendPrivate(first.username(), "newest").get(10, TimeUnit.SECONDS).getString("id");
            client.sendBroadcast("the room is not a conversation here").get(10, TimeUnit.SECONDS);
            client.sendRaw("{\"type\":\"conversations\",\"requestId\":\"c1\"}");
            JsonObject answer = client.awaitFrame(f -> "conversations".equals(f.getString("type")), WAIT);
            assertThat(answer.getString("requestId"), is("c1"));
            List<JsonObject> items = answer.getJsonArray("conversations").getValuesAs(JsonObject.class);
            assertThat(items.stream().map(i -> i.getString("with")).toList(),
                       is(List.of(first.username(), second.username())));
            assertThat(items.getFirst().getJsonObject("last").getString("id"), is(newest));
        }
    }

    @RepeatedTest(5)
    void welcomeIsTheFirstFrameAndNoOneHearsOfThemselvesBeforeIt() throws Exception {
        AuthClient.Token watcher = stack.newUser("wwatcher");
        AuthClient.Token newcomer = stack.newUser("wnew");
        try (ChatClient w = connect(chat.port(), watcher)) {
            List<JsonObject> frames = new CopyOnWriteArrayList<>();
            ChatClient.Options options = ChatClient.Options.DEFAULT.withOnFrame(frames::add);
            try (ChatClient n = ChatClient.connect(ws(chat.port()), newcomer.username(), newcomer.value(),
                                                   new MessageLog(), options)) {
                n.awaitReplayed(WAIT);
                await().atMost(WAIT).until(() -> w.online().contains(newcomer.username()));
                Thread.sleep(400); // a presence batch is at most 200 ms away
                assertThat(frames.toString(), frames.getFirst().getString("type"), is("welcome"));
                List<String> types = frames.stream().map(f -> f.getString("type")).toList();
                assertThat(types.toString(), types.indexOf("replayed"), is(1));
                assertThat("the welcome lists the newcomer", names(frames.getFirst(), "online"),
                           org.hamcrest.Matchers.hasItem(newcomer.username()));
            }
        }
    }

    @Test
    void aFrameOverTheProtocolLimitGetsAnErrorAndOverTheWebSocketLimitCloses1009() throws Exception {
        AuthClient.Token user = stack.newUser("fsize");
        try (ChatClient client = connect(chat.port(), user)) {
            // exactly 16 KiB is accepted
            String ping = "{\"type\":\"ping\",\"pad\":\"\"}";
            client.sendRaw(ping.replace("\"\"", "\"" + "x".repeat(16 * 1024 - ping.length()) + "\""));
            client.awaitFrame(f -> "pong".equals(f.getString("type")), WAIT);
            // 100 KiB in fragments of 8 KiB: an error, and the connection stays open
            try (RawSocket raw = RawSocket.open(chat.port())) {
                raw.send("{\"type\":\"auth\",\"token\":\"" + user.value() + "\"}", true);
                String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";
                for (int from = 0; from < big.length(); from += 8 * 1024) {
                    raw.send(big.substring(from, Math.min(big.length(), from + 8 * 1024)),
                             from + 8 * 1024 >= big.length());
                }
                raw.send("{\"type\":\"ping\"}", true);
                await().atMost(WAIT).until(() -> raw.text().contains("\"pong\""));
                assertThat(raw.text(), org.hamcrest.Matchers.containsString("frame_too_large"));
                assertThat(raw.closed.isDone(), is(false));
            }
            // 100 KiB in one WebSocket frame (the JDK client fragments big messages; browsers do not): closed
            // with 1009, since the server does not read a frame that large to answer it
            assertThat(OneFrame.closeCodeAfter(chat.port(), user.value(), 100 * 1024), is(1009));
            assertThat("64 KiB in one frame is read and answered", OneFrame.closeCodeAfter(chat.port(), user.value(),
                                                                                           64 * 1024 - 40), is(-1));
        }
    }

    private static List<String> sendMany(ChatClient from, String to, int count, String prefix) throws Exception {
        List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(from.sendPrivate(to, prefix + i));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<JsonObject> send : sends) {
            JsonObject ack = send.get(30, TimeUnit.SECONDS);
            assertThat(ack.toString(), ack.getString("type"), is("sent"));
            ids.add(ack.getString("id"));
        }
        return ids;
    }

    private static List<String> names(JsonObject frame, String field) {
        return frame.getJsonArray(field).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** WebSocket by hand: one unfragmented text frame of any size, as a browser sends it. */
    private static final class OneFrame {

        /**
         * Authenticates, sends one frame of about {@code padBytes}, and reads what comes back for two seconds.
         *
         * @return the close code the server sent, or -1 when it did not close
         */
        static int closeCodeAfter(int port, String token, int padBytes) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(2_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                           + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                           + Base64.getEncoder().encodeToString(new byte[16])
                           + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                DataInputStream in = new DataInputStream(socket.getInputStream());
                int matched = 0;
                while (matched < 4) { // the end of the response headers
                    int b = in.read();
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                writeFrame(out, "{\"type\":\"auth\",\"token\":\"" + token + "\"}");
                writeFrame(out, "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(padBytes) + "\"}");
                try {
                    while (true) {
                        int opcode = in.readUnsignedByte() & 0x0F;
                        long length = in.readUnsignedByte() & 0x7F;
                        length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                        byte[] payload = in.readNBytes((int) length);
                        if (opcode == 8) {
                            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    return -1;
                } catch (EOFException e) {
                    return 1006;
                }
            }
        }

        /** A masked text frame (mask key zero, which leaves the payload as it is). */
        private static void writeFrame(OutputStream out, String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else if (payload.length <= 0xFFFF) {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xFF);
            } else {
                frame.write(0x80 | 127);
                frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
            }
            frame.writeBytes(new byte[4]);
            frame.writeBytes(payload);
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    /** A bare WebSocket that can send fragments, which the client library never does. */
    private static final class RawSocket implements WebSocket.Listener, AutoCloseable {
        private final StringBuffer received = new StringBuffer();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private WebSocket socket;

        static RawSocket open(int port) {
            RawSocket raw = new RawSocket();
            raw.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws(port), raw).join();
            return raw;
        }

        void send(String text, boolean last) {
            socket.sendText(text, last).join();
        }

        String text() {
            return received.toString();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.append(data);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
