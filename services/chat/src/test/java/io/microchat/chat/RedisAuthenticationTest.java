package io.microchat.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Chat against a real Redis that requires a password ({@code requirepass}, protected mode on), as the operator's
 * managed Redis does: the credentials come in {@code REDIS_URL}, and the password never reaches the log.
 */
class RedisAuthenticationTest {

    private static final String PASSWORD = "s3cretRedisPassw0rd4test";

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logged.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ChatTestStack stack;
    private EmbeddedRedis protectedRedis;

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(capture);
        stack = ChatTestStack.start();
        protectedRedis = EmbeddedRedis.onFreePort().withPassword(PASSWORD).start();
    }

    @AfterEach
    void stop() {
        stack.close();
        protectedRedis.stop();
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void instancesAuthenticateWithTheUrlsPasswordAndRouteThroughRedis() throws Exception {
        ChatServer a = stack.chatInProcess("redis-auth-a", Map.of("app.redis.url", protectedRedis.url()));
        ChatServer b = stack.chatInProcess("redis-auth-b", Map.of("app.redis.url", protectedRedis.url()));
        await().atMost(WAIT).until(() -> ready(a.port()) && ready(b.port()));
        AuthClient.Token sender = stack.newUser("rsender");
        AuthClient.Token recipient = stack.newUser("rrecipient");
        MessageLog received = new MessageLog();
        try (ChatClient s = connect(a.port(), sender); ChatClient r = connect(b.port(), recipient, received)) {
            await().atMost(WAIT).until(() -> s.online().contains(recipient.username()));
            String id = s.sendPrivate(recipient.username(), "through a password-protected Redis")
                    .get().getString("id");
            await().atMost(WAIT).until(() -> received.contains(id));
        }
        assertPasswordNeverLogged();
    }

    @Test
    void anInstanceWithoutTheRightPasswordIsNotReadyAndDoesNotLogTheUrl() throws Exception {
        String wrong = protectedRedis.url().replace(PASSWORD, "wrong" + PASSWORD);
        ChatServer unauthenticated = stack.chatInProcess("redis-auth-none",
                                                         Map.of("app.redis.url", "redis://127.0.0.1:"
                                                                                 + protectedRedis.port()));
        ChatServer mistaken = stack.chatInProcess("redis-auth-wrong", Map.of("app.redis.url", wrong));
        Thread.sleep(Duration.ofSeconds(3).toMillis());
        assertThat(ready(unauthenticated.port()), is(false));
        assertThat(ready(mistaken.port()), is(false));
        assertPasswordNeverLogged();
        for (String line : logged) {
            assertThat(line, not(containsString("wrong" + PASSWORD)));
        }
    }

    private void assertPasswordNeverLogged() {
        assertThat("something was logged", logged.isEmpty(), is(false));
        for (String line : logged) {
            assertThat(line, not(containsString(PASSWORD)));
        }
    }

    private static boolean ready(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200;
    }
}
