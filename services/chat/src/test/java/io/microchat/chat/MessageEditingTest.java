package io.microchat.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.protocol.ErrorCode;
import jakarta.json.JsonObject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.ChatTestStack.WAIT;
import static io.microchat.chat.ChatTestStack.connect;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Editing and deleting (docs/protocol.md, "Editing and deleting") across instances: live to the other participant
 * and to the sender's other devices, in history, in MongoDB, in the replay after a reconnect elsewhere (changes to
 * messages older than the resume point), and every refused change answered with its error, nothing changed.
 */
class MessageEditingTest {

    /** No overlap: a replay carries nothing before the resume point, so only the replayed change can update it. */
    private static final Map<String, String> NO_OVERLAP = Map.of("app.replay.overlap", "PT0S");

    private static ChatTestStack stack;
    private static ChatServer a;
    private static ChatServer b;
    private static ChatServer c;
    private static ChatServer shortWindow;
    private static MongoClient mongo;

    @BeforeAll
    static void start() {
        stack = ChatTestStack.start();
        a = stack.chatInProcess("edit-a", NO_OVERLAP);
        b = stack.chatInProcess("edit-b", NO_OVERLAP);
        c = stack.chatInProcess("edit-c", NO_OVERLAP);
        shortWindow = stack.chatInProcess("edit-short", Map.of("app.messages.edit-window", "PT1S"));
        mongo = MongoClients.create(stack.mongo.uri("microchat"));
    }

    @AfterAll
    static void stop() {
        mongo.close();
        stack.close();
    }

    @Test
    void editsAndDeletesReachTheOtherUserAndTheSendersOtherDeviceOnOtherInstances() throws Exception {
        AuthClient.Token alice = stack.newUser("alice");
        AuthClient.Token bob = stack.newUser("bob");
        try (ChatClient phone = connect(a.port(), alice); ChatClient laptop = connect(c.port(), alice);
             ChatClient onB = connect(b.port(), bob)) {
            String first = phone.sendPrivate(bob.username(), "first").get(10, TimeUnit.SECONDS).getString("id");
            String second = phone.sendPrivate(bob.username(), "second secret").get(10, TimeUnit.SECONDS)
                    .getString("id");
            for (ChatClient other : List.of(onB, laptop)) {
                await().atMost(WAIT).until(() -> other.log().contains(first) && other.log().contains(second));
            }

            JsonObject edited = phone.edit(first, "first, edited").get(10, TimeUnit.SECONDS);
            assertThat(edited.getString("type"), is("edited"));
            assertThat(edited.getString("clientId"), is(notNullValue()));
            assertThat(edited.getString("with"), is(bob.username()));
            JsonObject seenByBob = onB.awaitFrame(f -> "edited".equals(f.getString("type")), WAIT);
            assertThat(seenByBob.getString("id"), is(first));
            assertThat(seenByBob.getString("with"), is(alice.username()));
            assertThat(seenByBob.getString("text"), is("first, edited"));
            assertThat(seenByBob.containsKey("clientId"), is(false));
            assertThat(seenByBob.getString("rev"), is(edited.getString("rev")));
            JsonObject seenByLaptop = laptop.awaitFrame(f -> "edited".equals(f.getString("type")), WAIT);
            assertThat(seenByLaptop.getString("with"), is(bob.username()));
            assertThat(onB.log().get(first).getString("text"), is("first, edited"));
            assertThat(onB.log().get(first).containsKey("edited"), is(true));

            JsonObject deleted = phone.delete(second).get(10, TimeUnit.SECONDS);
            assertThat(deleted.getString("type"), is("deleted"));
            for (ChatClient other : List.of(onB, laptop)) {
                JsonObject frame = other.awaitFrame(f -> "deleted".equals(f.getString("type")), WAIT);
                assertThat(frame.getString("id"), is(second));
                assertThat(frame.containsKey("text"), is(false));
                assertThat(other.log().get(second).getBoolean("deleted"), is(true));
                assertThat(other.log().get(second).getString("text"), is(""));
            }

            List<JsonObject> page = onB.history("with", alice.username(), null, 10, WAIT)
                    .getJsonArray("messages").getValuesAs(JsonObject.class);
            JsonObject secondInHistory = byId(page, second);
            assertThat(secondInHistory.getBoolean("deleted"), is(true));
            assertThat(secondInHistory.getString("text"), is(""));
            JsonObject firstInHistory = byId(page, first);
            assertThat(firstInHistory.getString("text"), is("first, edited"));
            assertThat(firstInHistory.getJsonNumber("edited").longValue(), is(edited.getJsonNumber("editedAt")
                    .longValue()));

            Document stored = messages().find(Filters.eq("_id", second)).first();
            assertThat(stored.getBoolean("deleted"), is(true));
            assertThat(stored.getString("text"), is(""));
            assertThat("the deleted text is gone from storage", stored.toJson(), not(containsString("secret")));
        }
    }

    @Test
    void anEditOfARoomMessageReachesEveryoneElsewhere() throws Exception {
        AuthClient.Token x = stack.newUser("rx");
        AuthClient.Token y = stack.newUser("ry");
        try (ChatClient onA = connect(a.port(), x); ChatClient onB = connect(b.port(), y)) {
            String id = onA.sendBroadcast("to all").get(10, TimeUnit.SECONDS).getString("id");
            await().atMost(WAIT).until(() -> onB.log().contains(id));
            onA.edit(id, "to all, edited").get(10, TimeUnit.SECONDS);
            JsonObject frame = onB.awaitFrame(f -> "edited".equals(f.getString("type"))
                                                   && id.equals(f.getString("id")), WAIT);
            assertThat(frame.getString("room"), is("all"));
            assertThat(onB.log().get(id).getString("text"), is("to all, edited"));
        }
    }

    @Test
    void theReplayAfterAReconnectElsewhereCarriesChangesToMessagesOlderThanTheResumePoint() throws Exception {
        AuthClient.Token alice = stack.newUser("ralice");
        AuthClient.Token bob = stack.newUser("rbob");
        MessageLog bobLog = new MessageLog();
        String older;
        String oldest;
        try (ChatClient onA = connect(a.port(), alice)) {
            try (ChatClient onB = connect(b.port(), bob, bobLog)) {
                oldest = onA.sendPrivate(bob.username(), "oldest").get(10, TimeUnit.SECONDS).getString("id");
                older = onA.sendPrivate(bob.username(), "older").get(10, TimeUnit.SECONDS).getString("id");
                String newest = onB.sendPrivate(alice.username(), "newest").get(10, TimeUnit.SECONDS)
                        .getString("id");
                await().atMost(WAIT).until(() -> bobLog.contains(oldest) && bobLog.contains(older));
                assertThat(bobLog.resumeAfter(), is(newest));
            }
            // while bob is away: changes to messages older than where he resumes
            onA.edit(older, "older, edited").get(10, TimeUnit.SECONDS);
            onA.delete(oldest).get(10, TimeUnit.SECONDS);
        }
        try (ChatClient onC = connect(c.port(), bob, bobLog)) {
            JsonObject replayed = onC.awaitReplayed(WAIT);
            assertThat(replayed.getInt("changes"), is(2));
            assertThat(replayed.containsKey("changesTruncated"), is(false));
            assertThat(bobLog.get(older).getString("text"), is("older, edited"));
            assertThat(bobLog.get(oldest).getBoolean("deleted"), is(true));
        }
    }

    @Test
    void refusedChangesAreAnsweredWithTheirErrorAndChangeNothing() throws Exception {
        AuthClient.Token alice = stack.newUser("ealice");
        AuthClient.Token bob = stack.newUser("ebob");
        AuthClient.Token carol = stack.newUser("ecarol");
        try (ChatClient onA = connect(a.port(), alice); ChatClient onB = connect(b.port(), bob);
             ChatClient onC = connect(c.port(), carol)) {
            String id = onA.sendPrivate(bob.username(), "original").get(10, TimeUnit.SECONDS).getString("id");
            await().atMost(WAIT).until(() -> onB.log().contains(id));

            assertRefused(onB.edit(id, "not mine"), ErrorCode.NOT_YOUR_MESSAGE);
            assertRefused(onB.delete(id), ErrorCode.NOT_YOUR_MESSAGE);
            assertRefused(onC.edit(id, "cannot see it"), ErrorCode.UNKNOWN_MESSAGE);
            assertRefused(onA.edit("019a8f3c2b1e7c4d000042", "nobody's"), ErrorCode.UNKNOWN_MESSAGE);
            assertRefused(onA.delete("019a8f3c2b1e7c4d000042"), ErrorCode.UNKNOWN_MESSAGE);
            assertRefused(onA.edit(id, "x".repeat(4_001)), ErrorCode.TEXT_TOO_LONG);
            Document stored = messages().find(Filters.eq("_id", id)).first();
            assertThat(stored.getString("text"), is("original"));
            assertThat(stored.get("rev"), is(nullValue()));
            assertThat(onB.log().get(id).getString("text"), is("original"));

            JsonObject first = onA.delete(id).get(10, TimeUnit.SECONDS);
            JsonObject again = onA.delete(id).get(10, TimeUnit.SECONDS);
            assertThat("deleting twice is answered like the first delete", again.getString("type"), is("deleted"));
            assertThat(again.getString("rev"), is(first.getString("rev")));
            assertRefused(onA.edit(id, "back from the dead"), ErrorCode.MESSAGE_DELETED);
            assertThat(messages().find(Filters.eq("_id", id)).first().getString("text"), is(""));

            for (ChatClient client : List.of(onA, onB, onC)) {
                assertThat("the connection is usable", client.sendBroadcast("still here").get(10, TimeUnit.SECONDS)
                        .getString("type"), is("sent"));
            }
        }
    }

    @Test
    void anEditAfterTheConfiguredWindowIsRefusedButADeleteIsNot() throws Exception {
        AuthClient.Token alice = stack.newUser("walice");
        AuthClient.Token bob = stack.newUser("wbob");
        try (ChatClient onShort = connect(shortWindow.port(), alice); ChatClient onB = connect(b.port(), bob)) {
            String id = onShort.sendPrivate(bob.username(), "quick").get(10, TimeUnit.SECONDS).getString("id");
            assertThat(onShort.edit(id, "quick, edited").get(10, TimeUnit.SECONDS).getString("type"), is("edited"));
            Thread.sleep(1_200);
            assertRefused(onShort.edit(id, "too late"), ErrorCode.EDIT_WINDOW_PASSED);
            assertThat(messages().find(Filters.eq("_id", id)).first().getString("text"), is("quick, edited"));
            assertThat(onShort.delete(id).get(10, TimeUnit.SECONDS).getString("type"), is("deleted"));
        }
    }

    private static void assertRefused(java.util.concurrent.CompletableFuture<JsonObject> answer, String code)
            throws Exception {
        JsonObject frame = answer.get(10, TimeUnit.SECONDS);
        assertThat(frame.toString(), frame.getString("type"), is("error"));
        assertThat(frame.getString("code"), is(code));
        assertThat("the error names the change", frame.getString("clientId"), is(notNullValue()));
    }

    private static JsonObject byId(List<JsonObject> messages, String id) {
        return messages.stream().filter(m -> id.equals(m.getString("id"))).findFirst().orElseThrow();
    }

    private static com.mongodb.client.MongoCollection<Document> messages() {
        return mongo.getDatabase("microchat").getCollection("messages");
    }
}
