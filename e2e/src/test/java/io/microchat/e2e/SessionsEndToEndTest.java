package io.microchat.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Sessions end to end, with access tokens that live 15 seconds: the browser app and the terminal client stay
 * signed in across several expiries without anyone noticing, and signing out everywhere from a second browser
 * signs the first out.
 */
class SessionsEndToEndTest {

    private static final Duration LIFETIME = Duration.ofSeconds(15);
    private static BrowserStack browserStack;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        browserStack = BrowserStack.start("e2e-sessions", Map.of("APP_JWT_LIFETIME", LIFETIME.toString()));
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

    private static double refreshes() {
        return AuthMetrics.requests(stack.authUrl(), "/api/auth/refresh", "200");
    }

    /** Records, in the page, every moment the app was not connected or showed the login form. */
    private static void watchForInterruptions(Browser browser) {
        browser.script("window.interruptions = [];"
                       + "const note = () => { const state = document.getElementById('connection-state').textContent;"
                       + "  const login = !document.getElementById('login-view').hidden;"
                       + "  if (state !== 'connected' || login) { window.interruptions.push(state + (login ? ' +login' : '')); } };"
                       + "new MutationObserver(note).observe(document.body, {subtree: true, childList: true,"
                       + "  characterData: true, attributes: true, attributeFilter: ['hidden']});");
    }

    @Test
    void theBrowserStaysSignedInAcrossAccessTokenExpiries() throws Exception {
        String vera = name("vera");
        String walt = name("walt");
        try (Browser v = new Browser(); Browser w = new Browser()) {
            v.open(stack.chatUrls().get(0));
            v.register(vera, "vera-password");
            v.awaitChat();
            w.open(stack.chatUrls().get(1));
            w.register(walt, "walt-password");
            w.awaitChat();
            // neither token is where a script could read it
            assertThat(String.valueOf(v.script("return document.cookie")), not(containsString("microchat_refresh")));
            assertThat(String.valueOf(v.script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")),
                       not(containsString("eyJ")));
            watchForInterruptions(v);
            watchForInterruptions(w);
            double before = refreshes();

            v.openConversationWith(walt);
            w.openConversationWith(vera);
            long end = System.nanoTime() + LIFETIME.multipliedBy(5).dividedBy(2).toNanos();
            int round = 0;
            while (System.nanoTime() < end) {
                String fromVera = "vera says " + round;
                String fromWalt = "walt says " + round;
                v.send(fromVera);
                w.await(d -> w.messageTexts().contains(fromVera));
                w.send(fromWalt);
                v.await(d -> v.messageTexts().contains(fromWalt));
                round++;
                Thread.sleep(4_000);
            }
            assertThat(refreshes() - before, greaterThanOrEqualTo(4.0)); // two expiries, two browsers
            assertThat(v.script("return window.interruptions").toString(), (List<?>) v.script("return window.interruptions"), is(empty()));
            assertThat((List<?>) w.script("return window.interruptions"), is(empty()));
            assertThat(v.text("connection-state"), is("connected"));
            v.screenshot("signed-in-across-expiries");

            // and a reload keeps the session through the cookie
            v.reload();
            v.awaitChat();
            assertThat(v.text("me"), is(vera));
        }
    }

    @Test
    void signingOutEverywhereFromASecondBrowserSignsTheFirstOut() {
        String xena = name("xena");
        try (Browser laptop = new Browser(); Browser phone = new Browser()) {
            laptop.open(stack.chatUrls().get(0));
            laptop.register(xena, "xena-password");
            laptop.awaitChat();
            phone.open(stack.chatUrls().get(1));
            phone.login(xena, "xena-password");
            phone.awaitChat();

            phone.script("document.getElementById('logout-all').click()");
            phone.awaitVisible("login-view");
            assertThat(phone.text("login-notice"), containsString("every device"));
            long start = System.nanoTime();
            laptop.awaitVisible("login-view");
            System.out.printf("the other browser was signed out %d ms later%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(laptop.text("login-notice"), containsString("signed out"));
            laptop.screenshot("signed-out-everywhere");

            // the laptop's cookie is dead: a reload does not sign it back in
            laptop.reload();
            laptop.awaitVisible("login-view");
        }
    }

    @Test
    void theTerminalClientStaysSignedInAcrossAccessTokenExpiries() throws Exception {
        String yann = name("yann");
        String zoe = name("zoe");
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(zoe, "zoe-password");
        URI chat1 = URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws");
        try (TerminalClientTest.Terminal cli = TerminalClientTest.Terminal.start(
                BrowserStack.root(), stack.authUrl(), stack.chatUrls().get(0).replace("http://", "ws://") + "ws")) {
            cli.type("/register " + yann);
            cli.type("yann-password");
            cli.awaitLine("* logged in as " + yann);
            Thread.sleep(LIFETIME.multipliedBy(5).dividedBy(2).toMillis());

            try (ChatClient z = ChatClient.connect(chat1, zoe, auth.login(zoe, "zoe-password").value(),
                                                   new MessageLog())) {
                z.awaitWelcome(Duration.ofSeconds(10));
                z.sendPrivate(yann, "still there?").get(10, TimeUnit.SECONDS);
                cli.awaitLineContaining(zoe + " -> you: still there?");
                cli.type("/msg " + zoe + " yes, never left");
                cli.awaitLine("✓ sent to " + zoe);
                assertThat(z.log().awaitCount(1, 10_000), is(true));
            }
            assertThat(cli.lines().stream().filter(l -> l.startsWith("!") || l.contains("connection lost")).toList(),
                       is(empty()));
            cli.type("/logout-all");
            cli.awaitLineContaining("* signed out on 1 device(s)");
            cli.type("/quit");
        }
    }
}
