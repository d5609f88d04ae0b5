package io.microchat.chat;

import java.util.Map;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.devstack.RawWebSocket;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;

/**
 * A client that goes away without a close frame (its socket reset or cut, its network gone) is forgotten within
 * seconds: its user goes offline once their last connection is gone, and what the connection held is released.
 * Helidon 4.1 does not report such a connection to the listener, so without the hub's sweep these connections
 * stayed for ever, online.
 */
class DeadConnectionTest {

    @Test
    void connectionsThatEndWithoutACloseFrameAreForgotten() throws Exception {
        try (ChatTestStack stack = ChatTestStack.start()) {
            ChatServer chat = stack.chatInProcess("chat-dead", Map.of());
            AuthClient.Token leaving = stack.newUser("gone");
            AuthClient.Token watching = stack.newUser("watch");
            ChatClient observer = connect(chat.port(), watching);

            connect(chat.port(), leaving).abort();
            try (RawWebSocket raw = RawWebSocket.connect(chat.port(), 65_536)) {
                raw.sendText("{\"type\":\"auth\",\"token\":\"" + leaving.value() + "\"}");
                Thread.sleep(500);
            }
            ChatClient last = connect(chat.port(), leaving);
            await("the two dead connections forgotten").atMost(WAIT).until(() -> chat.connectionCount() == 2);
            assertThat(observer.online(), hasItem(leaving.username()));

            last.close();
            await("offline once the last connection closed").atMost(WAIT)
                    .until(() -> !observer.online().contains(leaving.username()));
            await().atMost(WAIT).until(() -> chat.connectionCount() == 1 && chat.budgets().total() == 0);
            observer.close();
        }
    }
}
