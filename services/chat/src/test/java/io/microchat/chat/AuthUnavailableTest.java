package io.microchat.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.readiness;
import static io.microchat.chat.ChatTestStack.ws;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A chat instance whose key set cannot be fetched (auth down) is not ready, and answers a valid token with a
 * retryable {@code unavailable} (close 1013), never with {@code invalid_token} (4401), which would make clients
 * throw a good token away. Auth is stood in for by a JWKS endpoint that fails until the test lets it through to
 * the real one.
 */
class AuthUnavailableTest {

    private ChatTestStack stack;
    private HttpServer jwks;
    private volatile boolean authUp;

    @BeforeEach
    void start() throws IOException {
        stack = ChatTestStack.start();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", this::serveJwks);
        jwks.start();
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
        stack.close();
    }

    @Test
    void aValidTokenIsRetryableWhileTheKeysCannotBeFetched() throws Exception {
        ChatServer chat = stack.chatInProcess("no-keys", Map.of(
                "app.jwt.jwks-url", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks"));
        AuthClient.Token user = stack.newUser("nokeys");

        await().atMost(WAIT).until(() -> readiness(chat.port()) == 503);
        assertThat(readiness(chat.port()), is(503));
        ChatClient refused = ChatClient.connect(ws(chat.port()), user.username(), user.value(), new MessageLog());
        assertThat(refused.awaitError("unavailable", WAIT).getString("message").isEmpty(), is(false));
        assertThat(refused.closed().get(10, TimeUnit.SECONDS).code(), is(1013));

        authUp = true;
        await().atMost(Duration.ofSeconds(15)).until(() -> readiness(chat.port()) == 200);
        try (ChatClient accepted = ChatClient.connect(ws(chat.port()), user.username(), user.value(),
                                                      new MessageLog())) {
            accepted.awaitWelcome(WAIT);
        }

        // once the keys are known, a token naming a key nobody published is invalid
        String unknownKey = stack.mintToken("id", user.username(), Instant.now().plusSeconds(600))
                .replaceFirst("^[^.]+", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"made-up\"}".getBytes(StandardCharsets.UTF_8)));
        ChatClient forged = ChatClient.connect(ws(chat.port()), user.username(), unknownKey, new MessageLog());
        forged.awaitError("invalid_token", WAIT);
        assertThat(forged.closed().get(10, TimeUnit.SECONDS).code(), is(4401));
    }

    private void serveJwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authUp) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] body;
            try {
                body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.jwksUrl())).build(),
                                                       HttpResponse.BodyHandlers.ofByteArray()).body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

}
