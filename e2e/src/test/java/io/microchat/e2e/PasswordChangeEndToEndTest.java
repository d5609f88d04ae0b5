package io.microchat.e2e;

import java.util.Map;

import io.microchat.devstack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The browser app's "Change password" dialog against the real stack (auth, two chat instances, Redis, MongoDB):
 * the change signs every other browser of the user out and keeps this one in the chat; each refusal is said in
 * words, and the ones the app can tell by itself cost no request.
 */
class PasswordChangeEndToEndTest {

    private static BrowserStack browserStack;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        browserStack = BrowserStack.start("e2e-password", Map.of());
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

    /** How many password changes the auth service was asked for, whatever it answered. */
    private static double passwordRequests() {
        return AuthMetrics.requests(stack.authUrl(), "/api/auth/password", null);
    }

    /** Submits the dialog with the keyboard and waits for the answer. */
    private static void submit(Browser browser) {
        browser.keys(Keys.ENTER);
        browser.await(d -> Boolean.FALSE.equals(browser.script(
                "return document.getElementById('password-submit').disabled")));
    }

    @Test
    void changingThePasswordSignsTheOtherBrowserOutAndKeepsThisOneInTheChat() {
        String user = name("petra");
        try (Browser laptop = new Browser(); Browser phone = new Browser(390, 844)) {
            laptop.open(stack.chatUrls().get(0));
            laptop.register(user, "old-password");
            laptop.awaitChat();
            phone.open(stack.chatUrls().get(1));
            phone.login(user, "old-password");
            phone.awaitChat();

            // all by keyboard: the entry beside "Sign out everywhere", then the three fields and Enter
            laptop.script("document.getElementById('change-password').focus()");
            laptop.keys(Keys.ENTER);
            laptop.awaitVisible("password-dialog");
            assertThat(laptop.focused(), is("current-password"));
            laptop.keys("old-password", Keys.TAB, "new-password-1", Keys.TAB, "new-password-1");
            laptop.keys(Keys.ENTER);
            laptop.awaitVisible("password-done");
            assertThat(laptop.text("password-done"), containsString("1 other device was signed out"));
            assertThat(laptop.text("password-done"), containsString("This device stays signed in"));
            assertThat(laptop.focused(), is("password-cancel"));
            laptop.screenshot("password-changed");

            long start = System.nanoTime();
            phone.awaitVisible("login-view");
            System.out.printf("the other browser was signed out %d ms after the change%n",
                              (System.nanoTime() - start) / 1_000_000);
            assertThat(phone.text("login-notice"), containsString("signed out"));

            // this one stays: Escape closes the dialog, the focus goes back to its entry, and the chat goes on
            laptop.keys(Keys.ESCAPE);
            laptop.await(d -> !laptop.isVisible("password-dialog"));
            assertThat(laptop.focused(), is("change-password"));
            assertThat(laptop.isVisible("chat-view"), is(true));
            assertThat(laptop.text("connection-state"), is("connected"));
            laptop.send("still here after the change");
            laptop.await(d -> !"pending".equals(laptop.statusOfMyMessage("still here after the change")));
            assertThat(laptop.statusOfMyMessage("still here after the change"), is(oneOf("sent", "delivered")));

            // the old password no longer logs in, the new one does (and sees what was sent since)
            phone.login(user, "old-password");
            phone.await(d -> phone.isVisible("login-error"));
            assertThat(phone.text("login-error"), is("Wrong username or password."));
            phone.login(user, "new-password-1");
            phone.awaitChat();
            phone.await(d -> phone.messageTexts().contains("still here after the change"));

            // and this device's refresh cookie still holds its session across a reload
            laptop.reload();
            laptop.awaitChat();
            assertThat(laptop.text("me"), is(user));
        }
    }

    @Test
    void everyRefusalIsSaidInWordsAndTheOnesTheAppCanTellCostNoRequest() {
        String user = name("quinn");
        try (Browser phone = new Browser(390, 844)) {
            phone.open(stack.chatUrls().get(0));
            phone.register(user, "right-password");
            phone.awaitChat();
            phone.click("change-password");
            phone.awaitVisible("password-dialog");
            double before = passwordRequests();

            // the confirmation does not match: refused here, no request
            phone.type("current-password", "right-password");
            phone.type("new-password", "new-password-1");
            phone.type("confirm-password", "new-password-2");
            submit(phone);
            assertThat(phone.text("password-error"), is("The new passwords do not match."));
            assertThat(phone.focused(), is("confirm-password"));
            phone.screenshot("password-dialog-phone");

            // too short: refused here, no request
            phone.type("new-password", "short");
            phone.type("confirm-password", "short");
            submit(phone);
            assertThat(phone.text("password-error"), is("The new password must be 8 to 128 characters long."));
            assertThat(phone.focused(), is("new-password"));
            assertThat(passwordRequests(), is(before));

            // the wrong current password: the server's 401, in words
            phone.type("current-password", "wrong-password");
            phone.type("new-password", "new-password-1");
            phone.type("confirm-password", "new-password-1");
            phone.click("current-password");
            submit(phone);
            assertThat(phone.text("password-error"), is("The current password is wrong."));
            assertThat(phone.focused(), is("current-password"));
            assertThat(passwordRequests(), is(before + 1));

            // no network: said so, and nothing changed
            phone.offline(true);
            try {
                submit(phone);
                assertThat(phone.text("password-error"), containsString("Cannot reach the server"));
            } finally {
                phone.offline(false);
            }

            // the login throttle counts these too: after five wrong passwords in a minute, the wait is given
            for (int attempt = 2; attempt <= 5; attempt++) {
                submit(phone);
                assertThat(phone.text("password-error"), is("The current password is wrong."));
            }
            submit(phone);
            assertThat(phone.text("password-error"),
                       matchesPattern("Too many failed attempts\\. Try again in \\d+ seconds\\."));
            phone.await(d -> "connected".equals(phone.text("connection-state")));

            // Escape closes it, and nothing typed is kept for the next time
            phone.keys(Keys.ESCAPE);
            phone.await(d -> !phone.isVisible("password-dialog"));
            phone.click("change-password");
            phone.awaitVisible("password-dialog");
            assertThat(phone.script("return ['current-password', 'new-password', 'confirm-password']"
                                    + ".map(id => document.getElementById(id).value).join('')"), is(""));
            assertThat(phone.isVisible("password-error"), is(false));
        }
    }
}
