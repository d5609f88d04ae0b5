package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Groups;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Edits and deletes on the messages collection (mongo-java-server behind the real driver). */
class MessageChangesTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_763_719_200_000L;

    private final StoreTestDb store = new StoreTestDb();
    private final MessageChanges changes = new MessageChanges(store.db, store.ids(), Duration.ofMinutes(15));

    @AfterEach
    void close() {
        store.close();
    }

    private static String code(Runnable action) {
        return assertThrows(ProtocolException.class, action::run).code();
    }

    @Test
    void theChangesIndexHoldsOnlyChangedMessages() {
        changes.ensureIndexes();
        changes.ensureIndexes();
        Document index = store.db.getCollection("messages").listIndexes().into(new java.util.ArrayList<>()).stream()
                .filter(i -> "changes".equals(i.getString("name"))).findFirst().orElseThrow();
        assertThat(index.get("key", Document.class).keySet(), contains("participants", "rev"));
        assertThat(index.containsKey("partialFilterExpression"), is(true));
    }

    @Test
    void theSenderEditsWithinTheWindow() {
        ChatMessage message = store.storeMessage("Alice", "bob", null, "hi bob", T0);
        MessageChanges.Change edited = changes.edit("alice", message.id(), "hi bob!", T0 + 14 * MINUTE);
        assertThat(edited.text(), is("hi bob!"));
        assertThat(edited.editedAt(), is(T0 + 14 * MINUTE));
        assertThat(edited.deleted(), is(false));
        assertThat(edited.rev().compareTo(message.id()), is(greaterThan(0)));
        assertThat(edited.participants(), contains("alice", "bob"));
        assertThat(edited.conversation(), is(message.conversation()));
        Document stored = store.rawMessage(message.id());
        assertThat(stored.getString("text"), is("hi bob!"));
        assertThat(stored.getString("rev"), is(edited.rev()));
    }

    @Test
    void anEditAfterTheWindowChangesNothing() {
        ChatMessage message = store.storeMessage("alice", "bob", null, "hi bob", T0);
        assertThat(code(() -> changes.edit("alice", message.id(), "late", T0 + 15 * MINUTE + 1)),
                   is(ErrorCode.EDIT_WINDOW_PASSED));
        Document stored = store.rawMessage(message.id());
        assertThat(stored.getString("text"), is("hi bob"));
        assertThat(stored.get("edited"), is(nullValue()));
        assertThat(stored.get("rev"), is(nullValue()));
    }

    @Test
    void onlyTheSenderChangesAMessageTheyCanSee() {
        ChatMessage message = store.storeMessage("alice", "bob", null, "hi bob", T0);
        assertThat(code(() -> changes.edit("bob", message.id(), "hacked", T0 + 1)), is(ErrorCode.NOT_YOUR_MESSAGE));
        assertThat(code(() -> changes.delete("bob", message.id(), T0 + 1)), is(ErrorCode.NOT_YOUR_MESSAGE));
        assertThat(code(() -> changes.edit("carol", message.id(), "hacked", T0 + 1)), is(ErrorCode.UNKNOWN_MESSAGE));
        assertThat(code(() -> changes.delete("carol", message.id(), T0 + 1)), is(ErrorCode.UNKNOWN_MESSAGE));
        assertThat(code(() -> changes.delete("alice", "019a8f3c2b1e7c4d999999", T0 + 1)),
                   is(ErrorCode.UNKNOWN_MESSAGE));
        assertThat(store.rawMessage(message.id()).getString("text"), is("hi bob"));
    }

    @Test
    void membershipEventsCannotBeChanged() {
        String event = store.storeGroupMessage("alice", "g-0123456789abcdef01234567", List.of("alice", "bob"), "",
                                               Groups.EVENT_CREATED, T0);
        assertThat(code(() -> changes.edit("alice", event, "x", T0 + 1)), is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> changes.delete("alice", event, T0 + 1)), is(ErrorCode.INVALID_FIELD));
        assertThat("someone else's event too", code(() -> changes.edit("bob", event, "x", T0 + 1)),
                   is(ErrorCode.INVALID_FIELD));
        assertThat(code(() -> changes.delete("bob", event, T0 + 1)), is(ErrorCode.INVALID_FIELD));
    }

    @Test
    void aDeleteWipesTheTextAtAnyTimeAndARepeatIsHarmless() {
        ChatMessage message = store.storeMessage("alice", null, "all", "oops", T0);
        changes.edit("alice", message.id(), "oops, edited", T0 + MINUTE);
        MessageChanges.Change deleted = changes.delete("alice", message.id(), T0 + 100 * MINUTE);
        assertThat(deleted.deleted(), is(true));
        assertThat(deleted.text(), is(""));
        assertThat(deleted.editedAt(), is(nullValue()));
        assertThat(deleted.participants(), contains(ChatMessage.EVERYONE));
        Document stored = store.rawMessage(message.id());
        assertThat(stored.getString("text"), is(""));
        assertThat(stored.getBoolean("deleted"), is(true));
        assertThat(stored.containsKey("edited"), is(false));
        assertThat(stored.toJson().contains("oops"), is(false));

        MessageChanges.Change again = changes.delete("alice", message.id(), T0 + 101 * MINUTE);
        assertThat(again.rev(), is(deleted.rev()));
        assertThat(code(() -> changes.edit("alice", message.id(), "back", T0 + 2 * MINUTE)),
                   is(ErrorCode.MESSAGE_DELETED));
    }

    @Test
    void anEditRacingADeleteNeverBringsTheTextBack() throws Exception {
        for (int i = 0; i < 20; i++) {
            ChatMessage message = store.storeMessage("alice", "bob", null, "secret " + i, T0);
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<String> edit = CompletableFuture.supplyAsync(() -> {
                await(start);
                        try {
                            changes.edit("alice", message.id(), "edited secret", T0 + 1);
                            return "edited";
                        } catch (ProtocolException e) {
                            return e.code();
                        }
                    });
            CompletableFuture<MessageChanges.Change> delete =
                    CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return changes.delete("alice", message.id(), T0 + 1);
                    });
            start.countDown();
            assertThat(List.of("edited", ErrorCode.MESSAGE_DELETED).contains(edit.get()), is(true));
            assertThat(delete.get().deleted(), is(true));
            Document stored = store.rawMessage(message.id());
            assertThat(stored.getString("text"), is(""));
            assertThat(stored.containsKey("edited"), is(false));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void changesSinceARevAreTheUsersOwnOldestFirst() {
        ChatMessage toBob = store.storeMessage("alice", "bob", null, "one", T0);
        ChatMessage toCarol = store.storeMessage("alice", "carol", null, "two", T0 + 1);
        ChatMessage broadcast = store.storeMessage("alice", null, "all", "three", T0 + 2);
        String resumeAfter = store.ids().next(T0 + 3);
        changes.delete("alice", broadcast.id(), T0 + 4);
        changes.edit("alice", toCarol.id(), "two!", T0 + 5);
        changes.edit("alice", toBob.id(), "one!", T0 + 6);

        assertThat(changes.since("bob", resumeAfter, 10).stream().map(MessageChanges.Change::id).toList(),
                   contains(broadcast.id(), toBob.id()));
        assertThat(changes.since("alice", resumeAfter, 10).stream().map(MessageChanges.Change::id).toList(),
                   contains(broadcast.id(), toCarol.id(), toBob.id()));
        assertThat(changes.since("alice", resumeAfter, 2).stream().map(MessageChanges.Change::id).toList(),
                   contains(toCarol.id(), toBob.id()));
        String later = store.ids().next(T0 + 7);
        assertThat(changes.since("bob", later, 10).isEmpty(), is(true));
    }

    @Test
    void aFormerMemberIsNotSentTheChangesMadeAfterTheyLeft() {
        String group = "g-0123456789abcdef01234567";
        List<String> all = List.of("alice", "bob", "carol");
        String early = store.storeGroupMessage("alice", group, all, "meet at 5", null, T0);
        String late = store.storeGroupMessage("alice", group, all, "bring food", null, T0 + 1);
        changes.edit("alice", early, "meet at 6", T0 + 2);
        store.storeGroupMessage("alice", group, all, "", Groups.EVENT_REMOVED, T0 + 3);
        changes.edit("alice", late, "bring nothing", T0 + 4);
        assertThat(changes.since("carol", "", 10, g -> false).stream().map(MessageChanges.Change::id).toList(),
                   is(List.of(early)));
        assertThat("a member gets both", changes.since("bob", "", 10, g -> true).size(), is(2));
    }
}
