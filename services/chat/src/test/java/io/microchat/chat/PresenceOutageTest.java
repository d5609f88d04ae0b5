package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static io.microchat.chat.ChatTestStack.readiness;
import static io.microchat.chat.ChatTestStack.ws;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * Online means at least one connection on any instance, before, during and after a Redis outage: users connected
 * throughout a 10-second outage (Redis stopped and started again, empty) are never announced offline, on their
 * own instance or another; users who leave during the outage are announced offline once Redis is back.
 */
class PresenceOutageTest {

    @Test
    void usersConnectedThroughARedisRestartAreNeverAnnouncedOffline() throws Exception {
        try (ChatTestStack stack = ChatTestStack.start()) {
            usersConnectedThroughARedisRestart(stack);
        }
    }

    private static void usersConnectedThroughARedisRestart(ChatTestStack stack) throws Exception {
        ChatServer x = stack.chatInProcess("outage-x", Map.of());
        ChatServer y = stack.chatInProcess("outage-y", Map.of());
        AuthClient.Token onX = stack.newUser("stayx");
        AuthClient.Token onY = stack.newUser("stayy");
        AuthClient.Token leaver = stack.newUser("leaver");
        List<JsonObject> seenOnX = new CopyOnWriteArrayList<>();
        List<JsonObject> seenOnY = new CopyOnWriteArrayList<>();
        try (ChatClient stayX = watch(x.port(), onX, seenOnX); ChatClient stayY = watch(y.port(), onY, seenOnY)) {
            ChatClient leaving = connect(y.port(), leaver);
            await().atMost(WAIT).until(() -> stayX.online().containsAll(List.of(onY.username(), leaver.username()))
                                             && stayY.online().contains(onX.username()));

            stack.redis.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> readiness(x.port()) == 503
                                                        && readiness(y.port()) == 503);
            leaving.close();
            Thread.sleep(8_000);
            stack.redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> readiness(x.port()) == 200
                                                        && readiness(y.port()) == 200);

            await().atMost(Duration.ofSeconds(20)).until(() -> !stayX.online().contains(leaver.username()));
            Thread.sleep(15_000); // longer than an instance timeout after the restart
            for (List<JsonObject> seen : List.of(seenOnX, seenOnY)) {
                assertThat(seen.toString(), offline(seen, onX.username()), is(empty()));
                assertThat(seen.toString(), offline(seen, onY.username()), is(empty()));
            }
            assertThat(stayX.online(), hasItem(onY.username()));
            assertThat(stayY.online(), hasItem(onX.username()));
        }
    }

    private static ChatClient watch(int port, AuthClient.Token token, List<JsonObject> presenceFrames) {
        ChatClient client = ChatClient.connect(ws(port), token.username(), token.value(), new MessageLog(),
                                               ChatClient.Options.DEFAULT.withOnFrame(f -> {
                                                   if ("presence".equals(f.getString("type"))) {
                                                       presenceFrames.add(f);
                                                   }
                                               }));
        client.awaitReplayed(WAIT);
        return client;
    }

    private static List<JsonObject> offline(List<JsonObject> frames, String username) {
        return frames.stream().filter(f -> f.getJsonArray("offline").getValuesAs(JsonString.class).stream()
                .anyMatch(name -> name.getString().equals(username))).toList();
    }

}
