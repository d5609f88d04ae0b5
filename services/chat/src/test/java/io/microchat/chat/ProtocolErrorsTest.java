package io.microchat.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static io.microchat.chat.ChatTestStack.ws;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bad input gets an error frame with a code and the connection stays open; bad credentials close it with a
 * documented code; frames too large for one fragment go out in several. One chat instance in this JVM.
 */
class ProtocolErrorsTest {

    private static ChatTestStack stack;
    private static ChatServer chat;
    private static AuthClient.Token user;
    private static AuthClient.Token peer;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        chat = stack.chatInProcess("chat-errors", Map.of("app.allowed-origins", "https://chat.example.com"));
        user = stack.newUser("errs");
        peer = stack.newUser("peer");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static ChatClient client() {
        return connect(chat.port(), user);
    }

    private static void assertStillOpen(ChatClient client) {
        client.sendRaw("{\"type\":\"ping\"}");
        client.awaitFrame(f -> "pong".equals(f.getString("type")), WAIT);
    }

    @Test
    void malformedJson() {
        try (ChatClient client = client()) {
            client.sendRaw("{\"type\": \"send\", ");
            assertThat(client.awaitError("malformed_json", WAIT).getString("message"), containsString("JSON"));
            client.sendRaw("[1, 2, 3]");
            client.awaitError("malformed_json", WAIT);
            assertStillOpen(client);
        }
    }

    @Test
    void unknownFrameType() {
        try (ChatClient client = client()) {
            client.sendRaw("{\"type\": \"teleport\"}");
            assertThat(client.awaitError("unknown_type", WAIT).getString("message"), containsString("teleport"));
            client.sendRaw("{\"no\": \"type\"}");
            client.awaitError("missing_field", WAIT);
            assertStillOpen(client);
        }
    }

    @Test
    void missingAndWronglyTypedFields() {
        try (ChatClient client = client()) {
            client.sendRaw("{\"type\":\"send\",\"clientId\":\"m1\",\"to\":\"" + peer.username() + "\"}");
            JsonObject missingText = client.awaitError("missing_field", WAIT);
            assertThat(missingText.getString("message"), containsString("'text'"));
            assertThat("the error names the send it answers", missingText.getString("clientId"), is("m1"));
            client.sendRaw("{\"type\":\"send\",\"clientId\":\"m2\",\"text\":\"to nobody\"}");
            client.awaitError("missing_field", WAIT);
            client.sendRaw("{\"type\":\"send\",\"clientId\":\"m3\",\"to\":{\"$ne\":null},\"text\":\"x\"}");
            client.awaitError("invalid_field", WAIT);
            client.sendRaw("{\"type\":\"send\",\"clientId\":\"m4\",\"to\":\"a\",\"room\":\"all\",\"text\":\"x\"}");
            client.awaitError("invalid_field", WAIT);
            client.sendRaw("{\"type\":\"send\",\"clientId\":\"m5\",\"room\":\"secret\",\"text\":\"x\"}");
            client.awaitError("unknown_room", WAIT);
            client.sendRaw("{\"type\":\"history\",\"with\":\"x\",\"before\":\"not-an-id\"}");
            client.awaitError("invalid_field", WAIT);
            client.sendRaw("{\"type\":\"history\",\"room\":\"all\",\"limit\":1000}");
            client.awaitError("invalid_field", WAIT);
            client.sendRaw("{\"type\":\"received\",\"ids\":\"nope\"}");
            client.awaitError("invalid_field", WAIT);
            assertStillOpen(client);
        }
    }

    @Test
    void textOver4000Characters() throws Exception {
        try (ChatClient client = client()) {
            JsonObject outcome = client.sendPrivate(peer.username(), "x".repeat(4001)).get(10, TimeUnit.SECONDS);
            assertThat(outcome.getString("code"), is("text_too_long"));
            JsonObject ok = client.sendPrivate(peer.username(), "é".repeat(4000)).get(10, TimeUnit.SECONDS);
            assertThat("4000 characters are fine", ok.getString("type"), is("sent"));
            assertStillOpen(client);
        }
    }

    @Test
    void frameOver16KiB() {
        try (ChatClient client = client()) {
            client.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(17 * 1024) + "\"}");
            client.awaitError("frame_too_large", WAIT);
            client.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "€".repeat(6 * 1024) + "\"}");
            client.awaitError("frame_too_large", WAIT);
            assertStillOpen(client);
        }
    }

    @Test
    void messageToAUserWhoDoesNotExist() throws Exception {
        try (ChatClient client = client()) {
            JsonObject outcome = client.sendPrivate("nobody_by_that_name", "hello?").get(10, TimeUnit.SECONDS);
            assertThat(outcome.getString("type"), is("error"));
            assertThat(outcome.getString("code"), is("unknown_user"));
            assertStillOpen(client);
        }
    }

    @Test
    void moreThan20MessagesASecondAreDroppedNotAcknowledged() throws Exception {
        AuthClient.Token fast = stack.newUser("fast");
        try (ChatClient client = connect(chat.port(), fast)) {
            List<CompletableFuture<JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(client.sendPrivate(peer.username(), "burst " + i));
            }
            int acked = 0;
            int limited = 0;
            for (CompletableFuture<JsonObject> send : sends) {
                JsonObject outcome = send.get(10, TimeUnit.SECONDS);
                if ("sent".equals(outcome.getString("type"))) {
                    acked++;
                } else if ("rate_limited".equals(outcome.getString("code"))) {
                    limited++;
                }
            }
            assertThat(acked + limited, is(100));
            assertThat("the burst of 40 passes, plus what refills meanwhile", acked,
                       allOf(greaterThanOrEqualTo(40), lessThanOrEqualTo(60)));
            assertThat(limited, greaterThan(0));
            assertStillOpen(client);
        }
    }

    @Test
    void framesBeforeAuthenticationAreRefused() {
        ChatClient client = ChatClient.connect(ws(chat.port()), user.username(), "ignored", new MessageLog());
        client.awaitError("invalid_token", WAIT);
        assertThat(client.closed().join().code(), is(4401));
    }

    @Test
    void sendBeforeAuthIsRefusedWithNotAuthenticated() throws Exception {
        WebSocketProbe probe = WebSocketProbe.open(ws(chat.port()), null);
        probe.send("{\"type\":\"send\",\"clientId\":\"c\",\"room\":\"all\",\"text\":\"anonymous\"}");
        assertThat(probe.nextFrame(), containsString("not_authenticated"));
        probe.abort();
    }

    @Test
    void noAuthenticationWithin5SecondsClosesWith4408() throws Exception {
        WebSocketProbe probe = WebSocketProbe.open(ws(chat.port()), null);
        long start = System.nanoTime();
        int code = probe.closeCode().get(10, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(code, is(4408));
        assertThat(seconds, allOf(greaterThanOrEqualTo(4L), lessThanOrEqualTo(7L)));
    }

    @Test
    void expiredTokenClosesWith4401() {
        String expired = stack.mintToken("some-id", user.username(), Instant.now().minusSeconds(60));
        ChatClient client = ChatClient.connect(ws(chat.port()), user.username(), expired, new MessageLog());
        assertThat(client.awaitError("invalid_token", WAIT).getString("message"), containsString("expired"));
        assertThat(client.closed().join().code(), is(4401));
    }

    @Test
    void tokenSignedByAnotherKeyClosesWith4401() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        String publishedKeyId = kid();
        var jwt = io.helidon.security.jwt.Jwt.builder().type("JWT").algorithm("RS256").keyId(publishedKeyId)
                .issuer("microchat").addAudience("microchat").subject("id").preferredUsername(user.username())
                .issueTime(Instant.now()).expirationTime(Instant.now().plusSeconds(600)).build();
        String forged = io.helidon.security.jwt.SignedJwt.sign(jwt, io.helidon.security.jwt.jwk.JwkRSA.builder()
                .privateKey((java.security.interfaces.RSAPrivateKey) pair.getPrivate())
                .publicKey((java.security.interfaces.RSAPublicKey) pair.getPublic())
                .algorithm("RS256").keyId(publishedKeyId).build()).tokenContent();
        ChatClient client = ChatClient.connect(ws(chat.port()), user.username(), forged, new MessageLog());
        assertThat(client.awaitError("invalid_token", WAIT).getString("message"), containsString("signature"));
        assertThat(client.closed().join().code(), is(4401));
    }

    @Test
    void aForeignOriginIsRefusedAtTheHandshake() {
        CompletionException refused = assertThrows(CompletionException.class, () -> ChatClient.connect(
                ws(chat.port()), user.username(), user.value(), new MessageLog(),
                ChatClient.Options.DEFAULT.withOrigin("https://evil.example.org")));
        Throwable cause = refused;
        while (cause != null && !(cause instanceof java.net.http.WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        assertThat(cause instanceof java.net.http.WebSocketHandshakeException handshake
                   ? handshake.getResponse().statusCode() : -1, is(403));
    }

    @Test
    void theConfiguredAndTheSameOriginAreAccepted() {
        for (String origin : List.of("https://chat.example.com", "http://127.0.0.1:" + chat.port())) {
            try (ChatClient client = ChatClient.connect(ws(chat.port()), user.username(), user.value(),
                                                        new MessageLog(), ChatClient.Options.DEFAULT.withOrigin(origin))) {
                client.awaitWelcome(WAIT);
            }
        }
    }

    @Test
    void binaryFramesAreRefused() throws Exception {
        WebSocketProbe probe = WebSocketProbe.open(ws(chat.port()), null);
        probe.sendBinary(new byte[] {1, 2, 3});
        assertThat(probe.nextFrame(), containsString("unsupported_frame"));
        probe.abort();
    }

    @Test
    void authenticatingTwiceIsRefused() {
        try (ChatClient client = client()) {
            client.sendRaw("{\"type\":\"auth\",\"token\":\"" + user.value() + "\"}");
            client.awaitError("already_authenticated", WAIT);
            assertStillOpen(client);
        }
    }

    @Test
    void aLargeFrameArrivesWhole() throws Exception {
        String text = "Привет, 😀 語! ".repeat(250);
        try (ChatClient client = client()) {
            client.sendPrivate(peer.username(), text).get(10, TimeUnit.SECONDS);
        }
        WebSocketProbe probe = WebSocketProbe.open(ws(chat.port()), null);
        probe.send("{\"type\":\"auth\",\"token\":\"" + user.value() + "\"}");
        probe.send("{\"type\":\"history\",\"requestId\":\"big\",\"with\":\"" + peer.username() + "\",\"limit\":1}");
        String page = probe.nextFrameContaining("\"requestId\":\"big\"");
        probe.abort();

        JsonObject history = jakarta.json.Json.createReader(new java.io.StringReader(page)).readObject();
        assertThat(history.getJsonArray("messages").getJsonObject(0).getString("text"), is(text));
        // and through the client library too
        try (ChatClient client = client()) {
            JsonObject viaLibrary = client.history("with", peer.username(), null, 1, WAIT);
            assertThat(viaLibrary.getJsonArray("messages").getJsonObject(0).getString("text"), is(text));
        }
    }

    private static String kid() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(stack.jwksUrl())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(response.body()))) {
            return reader.readObject().getJsonArray("keys").getJsonObject(0).getString("kid");
        }
    }

    /** A bare WebSocket, for what the client library would never send. */
    private static final class WebSocketProbe implements WebSocket.Listener {
        private final java.util.concurrent.LinkedBlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private WebSocket socket;

        static WebSocketProbe open(URI uri, String origin) {
            WebSocketProbe probe = new WebSocketProbe();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (origin != null) {
                builder.header("Origin", origin);
            }
            probe.socket = builder.buildAsync(uri, probe).join();
            return probe;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        void sendBinary(byte[] data) {
            socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
        }

        String nextFrame() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            return frame == null ? "<none>" : frame;
        }

        /** The next message containing a text; skips others. */
        String nextFrameContaining(String text) throws InterruptedException {
            while (true) {
                String frame = nextFrame();
                if (frame.equals("<none>") || frame.contains(text)) {
                    return frame;
                }
            }
        }

        CompletableFuture<Integer> closeCode() {
            return closeCode;
        }

        void abort() {
            socket.abort();
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }
    }
}
