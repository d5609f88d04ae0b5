package io.microchat.e2e;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.microchat.client.AuthClient;
import io.microchat.devstack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The browser app in headless Chromium against the real local stack: two chat instances, auth, Redis and the
 * MongoDB-protocol store, each its own process.
 */
class BrowserTest {

    private static BrowserStack browserStack;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        // the send limit is per user: aReplayPastItsLimitIsCompletedByPagingBack sends 2,001 messages from one user
        // at once, so this stack allows more than the default 20 a second (nothing here tests the limit itself)
        browserStack = BrowserStack.start("e2e-data", Map.of("APP_LIMITS_MESSAGES_PER_SECOND", "5000",
                                                             "APP_LIMITS_BURST", "5000"));
        stack = browserStack.local();
    }

    @AfterAll
    static void stop() {
        if (browserStack != null) {
            browserStack.close();
        }
    }

    private static String name(String prefix) {
        return BrowserStack.name(prefix);
    }

    @Test
    void twoUsersOnTwoInstancesSeeEachOtherAndChat() {
        String alice = name("alice");
        String bob = name("bob");
        try (Browser a = new Browser(); Browser b = new Browser()) {
            a.open(stack.chatUrls().get(0));
            a.register(alice, "alice-password");
            a.awaitChat();
            b.open(stack.chatUrls().get(1));
            b.register(bob, "bob-password");
            b.awaitChat();
            assertThat(a.text("me"), is(alice));

            a.await(d -> a.online().contains(bob));
            b.await(d -> b.online().contains(alice));

            a.openConversationWith(bob);
            a.send("Hi Bob, this is Alice on chat-1");
            b.await(d -> b.unreadBadge(alice).equals("1"));
            b.openConversationWith(alice);
            b.await(d -> b.messageTexts().contains("Hi Bob, this is Alice on chat-1"));
            a.await(d -> a.statusOfMyMessage("Hi Bob, this is Alice on chat-1").equals("delivered"));

            b.send("Hello Alice, Bob here on chat-2");
            a.await(d -> a.messageTexts().contains("Hello Alice, Bob here on chat-2"));
            b.await(d -> b.statusOfMyMessage("Hello Alice, Bob here on chat-2").equals("delivered"));

            a.send("Shall we try the room?");
            a.screenshot("chat");
            b.close();
            a.await(d -> !a.online().contains(bob));
        }
    }

    @Test
    void theBroadcastRoomReachesEveryone() {
        String carol = name("carol");
        String dave = name("dave");
        try (Browser c = new Browser(); Browser d = new Browser()) {
            c.open(stack.chatUrls().get(0));
            c.register(carol, "carol-password");
            c.awaitChat();
            d.open(stack.chatUrls().get(1));
            d.register(dave, "dave-password");
            d.awaitChat();
            assertThat("the room is open first", c.text("conversation-title"), is("Everyone"));
            c.send("Hello everyone from " + carol);
            d.await(x -> d.messageTexts().contains("Hello everyone from " + carol));
        }
    }

    @Test
    void aReloadKeepsTheSessionAndAnOfflineRecipientGetsTheMessageAtLogin() {
        String erin = name("erin");
        String frank = name("frank");
        new AuthClient(URI.create(stack.authUrl())).register(frank, "frank-password");
        try (Browser e = new Browser()) {
            e.open(stack.chatUrls().get(0));
            e.register(erin, "erin-password");
            e.awaitChat();
            e.send("warm-up in the room");
            e.await(x -> e.statusOfMyMessage("warm-up in the room").equals("sent"));
            e.reload();
            e.awaitChat();
            assertThat("still logged in after a reload", e.text("me"), is(erin));
            e.await(x -> e.messageTexts().contains("warm-up in the room"));

            e.script("document.getElementById('new-chat-name').value = '" + frank + "';"
                     + "document.querySelector('#new-chat-form button').click();");
            e.await(x -> e.text("conversation-title").equals(frank));
            e.send("Frank, you were offline when I wrote this");
            e.await(x -> e.statusOfMyMessage("Frank, you were offline when I wrote this").equals("sent"));
        }
        try (Browser f = new Browser()) {
            f.open(stack.chatUrls().get(1));
            f.login(frank, "frank-password");
            f.awaitChat();
            f.openConversationWith(erin);
            f.await(x -> f.messageTexts().contains("Frank, you were offline when I wrote this"));
        }
    }

    @Test
    void markupInMessagesIsShownAsTextAndRunsNothing() {
        String mallory = name("mallory");
        String grace = name("grace");
        String img = "<img src=x onerror=\"window.__xss = 'img'\">";
        String script = "<script>window.__xss = 'script'</script><b>bold?</b>";
        try (Browser m = new Browser(); Browser g = new Browser()) {
            g.open(stack.chatUrls().get(1));
            g.register(grace, "grace-password");
            g.awaitChat();
            m.open(stack.chatUrls().get(0));
            m.register(mallory, "mallory-password");
            m.awaitChat();
            m.openConversationWith(grace);
            m.send(img);
            m.send(script);
            g.openConversationWith(mallory);
            g.await(x -> g.messageTexts().contains(img) && g.messageTexts().contains(script));
            assertThat(g.script("return window.__xss"), is(nullValue()));
            assertThat(m.script("return window.__xss"), is(nullValue()));
            assertThat(g.count("#messages img, #messages script, #messages b"), is(0));
        }
    }

    @Test
    void loginErrorsAreSaidClearly() {
        String henry = name("henry");
        new AuthClient(URI.create(stack.authUrl())).register(henry, "henry-password");
        try (Browser h = new Browser()) {
            h.open(stack.chatUrls().get(0));
            h.login(henry, "not-the-password");
            h.await(x -> h.isVisible("login-error"));
            assertThat(h.text("login-error"), containsString("Wrong username or password"));
            h.register(henry, "another-password");
            h.await(x -> h.text("login-error").contains("taken"));
            h.register(name("ivan"), "short");
            h.await(x -> h.text("login-error").contains("8 to 128"));
        }
    }

    @Test
    void tooManyFailedLoginsAreSaidWithTheWait() {
        String nora = name("nora");
        new AuthClient(URI.create(stack.authUrl())).register(nora, "nora-password");
        try (Browser n = new Browser()) {
            n.open(stack.chatUrls().get(0));
            for (int i = 0; i < 5; i++) {
                n.login(nora, "wrong-password-" + i);
                n.await(x -> n.isVisible("login-error") && n.text("login-error").contains("Wrong"));
                n.script("document.getElementById('login-error').hidden = true");
            }
            n.login(nora, "nora-password");
            n.await(x -> n.text("login-error").contains("Too many failed attempts"));
            assertThat(n.text("login-error"), containsString("Try again in"));
        }
    }

    @Test
    void olderPagesLoadWhenScrollingUp() throws Exception {
        String olga = name("olga");
        String pete = name("pete");
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(olga, "olga-password");
        auth.register(pete, "pete-password");
        URI ws = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");
        try (var o = io.microchat.client.ChatClient.connect(ws, olga, auth.login(olga, "olga-password").value(),
                                                            new io.microchat.client.MessageLog());
             var p = io.microchat.client.ChatClient.connect(ws, pete, auth.login(pete, "pete-password").value(),
                                                            new io.microchat.client.MessageLog())) {
            o.awaitWelcome(java.time.Duration.ofSeconds(10));
            p.awaitWelcome(java.time.Duration.ofSeconds(10));
            for (int i = 0; i < 45; i++) {
                o.sendPrivate(pete, "old message " + i).get(10, java.util.concurrent.TimeUnit.SECONDS);
                Thread.sleep(60); // within the 20 a second of one connection
            }
            // pete's Java client confirmed them all, so the browser gets them from history, not replay
            assertThat(p.log().awaitCount(45, 20_000), is(true));
        }
        try (Browser b = new Browser()) {
            b.open(stack.chatUrls().get(1));
            b.login(pete, "pete-password");
            b.awaitChat();
            b.openConversationWith(olga);
            b.await(x -> b.messageTexts().size() == 30);
            assertThat(b.messageTexts().getLast(), is("old message 44"));
            b.script("document.getElementById('messages').scrollTop = 0;"
                     + "document.getElementById('messages').dispatchEvent(new Event('scroll'))");
            b.await(x -> b.messageTexts().size() == 45);
            assertThat(b.messageTexts().getFirst(), is("old message 0"));
        }
    }

    @Test
    void aReplayPastItsLimitIsCompletedByPagingBack() throws Exception {
        String sam = name("sam");
        String tina = name("tina");
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(sam, "sam-password");
        auth.register(tina, "tina-password");
        String token = auth.login(sam, "sam-password").value();
        URI ws = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");
        // one more than a replay carries (2,000), from one connection: this stack's send limit allows the burst
        // (several connections of one user would each get every message the others send, which the per-user
        // outbox bound rightly refuses at this volume)
        int missed = 2_001;
        try (var sender = io.microchat.client.ChatClient.connect(ws, sam, token, new io.microchat.client.MessageLog())) {
            sender.awaitWelcome(java.time.Duration.ofSeconds(10));
            List<java.util.concurrent.CompletableFuture<jakarta.json.JsonObject>> sends = new ArrayList<>();
            for (int i = 0; i < missed; i++) {
                sends.add(sender.sendPrivate(tina, "missed " + i));
            }
            for (var send : sends) {
                assertThat(send.get(30, java.util.concurrent.TimeUnit.SECONDS).getString("type"), is("sent"));
            }
        }
        try (Browser t = new Browser()) {
            t.open(stack.chatUrls().get(1));
            t.login(tina, "tina-password");
            t.awaitChat();
            // the replay brings the newest 2,000 and says it was truncated; the app pages in the one before them
            t.await(x -> t.unreadBadge(sam).equals(String.valueOf(missed)));
            t.await(x -> t.text("connection-state").equals("connected"));
        }
    }

    @Test
    void aMessageWrittenWhileTheServerIsDownGoesOutOnceOnReconnect() {
        String kate = name("kate");
        String liam = name("liam");
        try (Browser k = new Browser(); Browser l = new Browser()) {
            l.open(stack.chatUrls().get(0));
            l.register(liam, "liam-password");
            l.awaitChat();
            k.open(stack.chatUrls().get(1));
            k.register(kate, "kate-password");
            k.awaitChat();
            k.openConversationWith(liam);

            stack.restartChat(1, () -> {
                k.await(x -> !k.text("connection-state").equals("connected"));
                k.send("typed while offline");
                assertThat(k.statusOfMyMessage("typed while offline"), is("pending"));
            });

            k.await(x -> k.text("connection-state").equals("connected"));
            k.await(x -> k.statusOfMyMessage("typed while offline").equals("delivered"));
            l.openConversationWith(kate);
            l.await(x -> l.messageTexts().contains("typed while offline"));
            assertThat(l.messageTexts().stream().filter("typed while offline"::equals).count(), is(1L));
        }
    }

    @Test
    void aPhoneSizedScreenShowsOnePaneAtATime() {
        String mia = name("mia");
        try (Browser p = new Browser(390, 800)) {
            p.open(stack.chatUrls().get(0));
            p.register(mia, "mia-password");
            p.awaitChat();
            p.screenshot("phone");
            assertThat(p.script("return getComputedStyle(document.querySelector('.sidebar')).display"), is("none"));
            p.script("document.getElementById('back').click()");
            p.await(x -> "block".equals(p.script("return getComputedStyle(document.querySelector('.sidebar')).display")));
        }
    }

    @Test
    void theAppIsServedWithAStrictContentSecurityPolicy() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(stack.chatUrls().get(0))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(csp, containsString("script-src 'self'"));
        assertThat(csp, containsString("default-src 'none'"));
        assertThat(csp, not(containsString("unsafe-inline")));
        assertThat(response.body(), containsString("MicroChat"));
        assertThat(csp, containsString(stack.authUrl()));
        assertThat(java.util.List.of(csp.split(";")), hasItem(" frame-ancestors 'none'"));
    }
}
