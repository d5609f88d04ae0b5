package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.devstack.ServiceProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * An instance killed with {@code kill -9} after it stored and acknowledged a message but before it published it:
 * the recipient and the sender's other device, online on other instances, get the message without reconnecting,
 * once each, whether or not the sender retries elsewhere.
 *
 * <p>The bad moment is made with the test hook {@link FaultInjection#STALL_BEFORE_PUBLISH}: the instance under
 * test stops a marked message after storing and acknowledging it, where it would deliver and publish it; the test
 * then kills the process. Every other step is the production path.
 */
class InstanceDeathTest {

    private static final String MARK = "[stall]";
    private static ChatTestStack stack;

    @BeforeAll
    static void startStack() {
        stack = ChatTestStack.start();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void storedButUnpublishedMessagesReachOnlineDevicesWhenTheInstanceDies() throws Exception {
        ServiceProcess dying = stack.chatProcess("death-a", Map.of(FaultInjection.STALL_BEFORE_PUBLISH, MARK));
        ServiceProcess b = stack.chatProcess("death-b", Map.of());
        ServiceProcess c = stack.chatProcess("death-c", Map.of());
        for (ServiceProcess p : List.of(dying, b, c)) {
            p.awaitReady(Duration.ofSeconds(60));
        }
        AuthClient.Token sender = stack.newUser("dsender");
        AuthClient.Token recipient = stack.newUser("drecipient");
        try (ChatClient r = connect(c.port(), recipient); ChatClient senderPhone = connect(c.port(), sender);
             ChatClient s = connect(dying.port(), sender)) {
            // a retry on another instance of a message the dying one stored: routed like a fresh one
            JsonObject first = s.send("retried", "to", recipient.username(), MARK + " retried")
                    .get(10, TimeUnit.SECONDS);
            assertThat(first.getString("type"), is("sent"));
            // and one nobody retries
            JsonObject second = s.send("lone", "to", recipient.username(), MARK + " not retried")
                    .get(10, TimeUnit.SECONDS);
            assertThat(second.getString("type"), is("sent"));
            dying.kill();
            long killedAt = System.nanoTime();

            try (ChatClient retrying = connect(b.port(), sender)) {
                JsonObject retry = retrying.send("retried", "to", recipient.username(), MARK + " retried")
                        .get(10, TimeUnit.SECONDS);
                assertThat("the retry resolves to the stored message", retry.getString("id"),
                           is(first.getString("id")));
                await().atMost(Duration.ofSeconds(5)).until(() -> r.log().contains(first.getString("id"))
                                                                  && senderPhone.log().contains(first.getString("id")));
                assertThat("routed by the retry, long before the instance is known dead",
                           TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt), lessThanOrEqualTo(8L));
            }
            await().atMost(Duration.ofSeconds(25)).until(() -> r.log().contains(second.getString("id"))
                                                               && senderPhone.log().contains(second.getString("id")));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
            assertThat("within heartbeat + instance timeout + a catch-up", seconds, lessThanOrEqualTo(18L));
            assertThat("never closed: no reconnect was needed", r.closed().isDone(), is(false));
            assertThat(r.log().messages().size(), is(2));
            assertThat(senderPhone.log().messages().size(), is(2));
            // and nothing more arrives twice later
            Thread.sleep(1_000);
            assertThat(r.log().messages().size(), is(2));
        }
    }

    @Test
    void theHookStallsOnlyMarkedMessages() throws Exception {
        ServiceProcess a = stack.chatProcess("hook-a", Map.of(FaultInjection.STALL_BEFORE_PUBLISH, MARK));
        ServiceProcess b = stack.chatProcess("hook-b", Map.of());
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        AuthClient.Token sender = stack.newUser("hsender");
        AuthClient.Token recipient = stack.newUser("hrecipient");
        try (ChatClient r = connect(b.port(), recipient); ChatClient s = connect(a.port(), sender)) {
            String plain = s.sendPrivate(recipient.username(), "not marked").get(10, TimeUnit.SECONDS).getString("id");
            await().atMost(WAIT).until(() -> r.log().contains(plain));
        }
    }
}
