package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.microchat.protocol.CloseCode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.microchat.chat.HubFixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The hub, delivery and replay over in-memory stand-ins for the store and pub/sub ({@link HubFixture}): each test
 * runs in milliseconds, without Redis, MongoDB or the auth service.
 */
class HubLogicTest {

    private final InMemoryPubSub.Network network = new InMemoryPubSub.Network();
    private final InMemoryMessages store = new InMemoryMessages();
    private final HubFixture here = new HubFixture("here", network, store);

    @Test
    void aMessageToALocalUserIsStoredThenAcknowledgedThenDelivered() throws Exception {
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client bob = here.connected("bob");
        CountDownLatch commit = new CountDownLatch(1);
        store.storeGate = commit;

        alice.sendPrivate("c1", "bob", "hello");
        Thread.sleep(50);
        assertThat("nothing is acknowledged or delivered before it is stored", alice.types(), not(hasItem("sent")));
        assertThat(bob.types(), not(hasItem("message")));

        commit.countDown();
        JsonObject sent = alice.await("sent");
        assertThat(sent.getString("clientId"), is("c1"));
        assertThat(store.contains(sent.getString("id")), is(true));
        JsonObject message = bob.await("message");
        assertThat(message.getString("id"), is(sent.getString("id")));
        assertThat(message.getString("text"), is("hello"));
        assertThat("the sender has its answer, not the message", alice.types(), not(hasItem("message")));
        assertThat(network.published, hasItem(Channels.user("bob")));
    }

    @Test
    void aMessageForAUserOnAnotherInstanceGoesThroughPubSub() {
        HubFixture there = new HubFixture("there", network, store);
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client bob = there.connected("bob");

        alice.sendPrivate("c1", "bob", "across");
        String id = alice.await("sent").getString("id");
        assertThat(bob.await("message").getString("id"), is(id));
        assertThat(network.published, contains(Channels.user("bob"), Channels.user("alice")));
        assertThat("an instance drops its own publications", alice.types(), not(hasItem("message")));
    }

    @Test
    void aRoomMessageReachesEveryoneElseHereAndThere() {
        HubFixture there = new HubFixture("there", network, store);
        HubFixture.Client alice = here.connected("alice");
        HubFixture.Client carol = here.connected("carol");
        HubFixture.Client bob = there.connected("bob");

        alice.send("{\"type\":\"send\",\"clientId\":\"r1\",\"room\":\"all\",\"text\":\"hi all\"}");
        String id = alice.await("sent").getString("id");
        assertThat(carol.await("message").getString("id"), is(id));
        assertThat(bob.await("message").getString("id"), is(id));
        assertThat(network.published, contains(Channels.ROOM_ALL));
    }

    @Test
    void aResumedConnectionGetsWhatItMissedThenTheEndOfTheReplay() {
        long now = System.currentTimeMillis();
        MessageIds ids = new MessageIds();
        ChatMessage ancient = message(ids, now - 200_000, "alice", "bob", now - 199_000);
        // the client's newest: replayed again with the overlap that covers clock skew (the client drops it)
        ChatMessage held = message(ids, now - 120_000, "alice", "bob", now - 119_000);
        ChatMessage missed1 = message(ids, now - 100_000, "alice", "bob", null);
        ChatMessage missed2 = message(ids, now, "carol", null, null);
        List.of(ancient, held, missed1, missed2).forEach(store::add);

        HubFixture.Client bob = here.connect("bob", held.id());
        assertThat(bob.await("replayed").getInt("count"), is(3));
        assertThat(bob.types(), contains("welcome", "message", "message", "message", "replayed"));
        assertThat(bob.frames().stream().skip(1).limit(3).map(frame -> frame.getString("id")).toList(),
                   contains(held.id(), missed1.id(), missed2.id()));
    }

    private static ChatMessage message(MessageIds ids, long ts, String from, String to, Long deliveredAt) {
        return new ChatMessage(ids.next(ts), ts, from, to, to == null ? "all" : null, "at " + ts, "c" + ts,
                               deliveredAt);
    }

    @Test
    void afterPubSubCameBackEveryConnectionCatchesUpOnWhatItDidNotHear() {
        HubFixture.Client bob = here.connected("bob");
        long now = System.currentTimeMillis();
        ChatMessage unheard = message(new MessageIds(), now, "alice", "bob", null);
        store.add(unheard); // stored by another instance, its publication lost

        here.bus.resubscribed();
        assertThat(bob.await("message").getString("id"), is(unheard.id()));
    }

    @Test
    void aCatchUpDuringAuthNeitherOvertakesTheWelcomeNorRepeatsTheReplay() throws Exception {
        long now = System.currentTimeMillis();
        ChatMessage before = message(new MessageIds(), now, "bob", "alice", null);
        store.add(before); // unconfirmed: replayed after auth
        CountDownLatch redisAnswers = new CountDownLatch(1);
        here.bus.subscribeGate = redisAnswers;
        HubFixture.Client[] alice = new HubFixture.Client[1];
        Thread auth = Thread.startVirtualThread(() -> alice[0] = here.connect("alice", null));
        assertThat(here.bus.subscribing.await(2, TimeUnit.SECONDS), is(true));
        here.bus.subscribeGate = null;
        ChatMessage during = message(new MessageIds(), now + 1, "bob", "alice", null);
        store.add(during); // its publication lost in the outage that the resubscription ends

        here.bus.resubscribed(); // while alice's auth waits for its subscription
        redisAnswers.countDown();
        assertThat(auth.join(WAIT), is(true));
        alice[0].await("replayed");
        Thread.sleep(100); // a late second replay would show now

        List<JsonObject> frames = alice[0].frames();
        assertThat(frames.getFirst().getString("type"), is("welcome"));
        assertThat(alice[0].types().stream().filter("replayed"::equals).count(), is(1L));
        assertThat(frames.stream().filter(frame -> "message".equals(frame.getString("type")))
                           .map(frame -> frame.getString("id")).toList(),
                   contains(before.id(), during.id()));
    }

    @Test
    void theWelcomeCarriesTheLimitsTheEditWindowAmongThem() {
        JsonObject welcome = here.connected("alice").frames().getFirst();
        assertThat(welcome.getString("type"), is("welcome"));
        JsonObject limits = welcome.getJsonObject("limits");
        assertThat(limits.getInt("maxTextLength"), is(here.settings.limits().maxTextLength()));
        assertThat(limits.getJsonNumber("editWindowMs").longValue(),
                   is(here.settings.messages().editWindow().toMillis()));
        assertThat("15 minutes unless configured", limits.getJsonNumber("editWindowMs").longValue(), is(900_000L));
        assertThat(welcome.getJsonObject("settings").getBoolean("readReceipts"), is(true));
    }

    @Test
    void eachConnectionHoldsItsUsersChannelUntilTheLastCloses() {
        HubFixture.Client phone = here.connected("alice");
        HubFixture.Client laptop = here.connected("alice");
        assertThat(here.bus.isSubscribed(Channels.user("alice")), is(true));
        phone.close();
        assertThat(here.bus.isSubscribed(Channels.user("alice")), is(true));
        laptop.close();
        assertThat(here.bus.isSubscribed(Channels.user("alice")), is(false));
        here.connected("alice");
        assertThat(here.bus.isSubscribed(Channels.user("alice")), is(true));
    }

    @Test
    void aSlowSubscriptionDoesNotHoldUpTheUsersOtherConnections() throws Exception {
        CountDownLatch redisAnswers = new CountDownLatch(1);
        here.bus.subscribeGate = redisAnswers;
        Thread first = Thread.startVirtualThread(() -> here.connect("alice", null));
        assertThat(here.bus.subscribing.await(2, TimeUnit.SECONDS), is(true));
        here.bus.subscribeGate = null;
        try {
            // the first connection's subscription hangs in a write to Redis; the registry must not be locked by it
            Thread second = Thread.startVirtualThread(() -> here.connect("alice", null));
            assertThat("a second connection of the user is not held up by the first's subscription",
                       second.join(Duration.ofSeconds(1)), is(true));
        } finally {
            redisAnswers.countDown();
        }
        assertThat(first.join(WAIT), is(true));
    }

    @Test
    void aDrainTellsEveryClientToReconnectClosesThemAndLeavesPresence() {
        HubFixture.Client alice = here.connected("alice");
        here.hub.drain(Duration.ofMillis(500));
        assertThat(alice.await("reconnect").getString("reason"), is("draining"));
        await().atMost(WAIT).until(() -> alice.session.closes.contains(CloseCode.GOING_AWAY));
        assertThat(here.presence.left, is(true));

        HubFixture.Client late = new HubFixture.Client(here);
        assertThat("a connection opened after the drain is sent elsewhere", late.await("reconnect").getString("reason"),
                   is("draining"));
    }

    @Test
    void anErrorAfterDecodingNamesTheSendItAnswers() {
        HubFixture.Client alice = here.connected("alice");
        alice.sendPrivate("c9", HubFixture.NOBODY, "hello?");
        JsonObject error = alice.await("error");
        assertThat(error.getString("code"), is("unknown_user"));
        assertThat(error.getString("clientId"), is("c9"));
    }
}
