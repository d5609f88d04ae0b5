package io.microchat.e2e;

import java.util.List;
import java.util.Map;

import io.microchat.devstack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The features of issue 18 in the browser app, in headless Chromium with two or three users (each in a browser of
 * its own, on both chat instances): a group made in the dialog, read ticks, the typing line, edits and deletes,
 * unread badges that two sessions of one user agree on, last seen and the settings panel.
 */
class ConversationFeaturesBrowserTest {

    private static BrowserStack browserStack;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        browserStack = BrowserStack.start("e2e-conversations", Map.of());
        stack = browserStack.local();
    }

    @AfterAll
    static void stop() {
        if (browserStack != null) {
            browserStack.close();
        }
    }

    /** A browser with a new user signed in on chat instance {@code instance}. */
    private static Browser signedUp(String username, int instance) {
        Browser browser = new Browser();
        browser.open(stack.chatUrls().get(instance));
        browser.register(username, username + "-password");
        browser.awaitChat();
        return browser;
    }

    @Test
    void aGroupCreatedInTheDialogReachesEveryMemberAndShowsWhoReadIt() {
        String alice = BrowserStack.name("alice");
        String bob = BrowserStack.name("bob");
        String carol = BrowserStack.name("carol");
        String group = "Trip to Lisbon " + alice;
        try (Browser a = signedUp(alice, 0); Browser b = signedUp(bob, 1); Browser c = signedUp(carol, 0)) {
            a.await(x -> a.online().containsAll(List.of(bob, carol)));

            a.click("new-group");
            a.awaitVisible("group-dialog");
            a.type("group-name", group);
            a.type("group-member-search", bob);
            a.await(x -> Boolean.TRUE.equals(a.script(
                    "const box = [...document.querySelectorAll('[data-testid=group-candidate]')]"
                    + ".find(e => e.value === arguments[0]); if (box) { box.click(); } return !!box;", bob)));
            a.type("group-member-search", carol); // typed in full and added with Enter
            a.keys(Keys.ENTER);
            a.await(x -> a.count("#group-selected li") == 2);
            a.click("group-create");
            a.await(x -> group.equals(a.text("conversation-title")));
            a.await(x -> a.count("#messages li.event") == 1);

            a.send("Flights are booked");
            for (Browser member : List.of(b, c)) {
                member.openConversationWith(group);
                member.await(x -> member.messageTexts().contains("Flights are booked"));
                member.await(x -> member.text("conversation-subtitle").contains(alice));
            }
            b.send("Great, thanks " + alice);
            a.await(x -> a.messageTexts().contains("Great, thanks " + alice));
            c.await(x -> c.messageTexts().contains("Great, thanks " + alice));

            // both opened the group: "Read by 2 of 2", and the names on a click
            a.await(x -> readBy(a, "Flights are booked").equals("Read by 2 of 2"));
            a.script("[...document.querySelectorAll('#messages li.message.mine')]"
                     + ".find(e => e.querySelector('.text').textContent === arguments[0])"
                     + ".querySelector('[data-testid=read-by]').click()", "Flights are booked");
            a.await(x -> a.count("[data-testid=readers] li") == 2);
            a.screenshot("group");
        }
    }

    @Test
    void readTicksTurnBlueWhenTheRecipientOpensTheChat() {
        String dora = BrowserStack.name("dora");
        String emil = BrowserStack.name("emil");
        try (Browser d = signedUp(dora, 0); Browser e = signedUp(emil, 1)) {
            openChatWith(d, emil);
            d.send("Are you there?");
            d.await(x -> d.statusOfMyMessage("Are you there?").equals("delivered"));
            assertThat("not read while the chat is closed", isRead(d, "Are you there?"), is(false));

            e.await(x -> e.unreadBadge(dora).equals("1"));
            e.openConversationWith(dora);
            d.await(x -> isRead(d, "Are you there?"));
            assertThat(d.count("#messages li.message.mine .tick-read"), is(1));
            e.await(x -> e.unreadBadge(dora).isEmpty());
        }
    }

    @Test
    void theTypingLineShowsWhoIsTypingUntilTheirMessageArrives() {
        String fay = BrowserStack.name("fay");
        String gus = BrowserStack.name("gus");
        try (Browser f = signedUp(fay, 0); Browser g = signedUp(gus, 1)) {
            openChatWith(f, gus);
            g.openConversationWith(fay);

            g.type("composer-text", "I am writing a long ans");
            f.await(x -> f.text("typing-line").equals(gus + " is typing…"));
            assertThat(f.script("return document.getElementById('typing-line').getAttribute('aria-live')"),
                       is("polite"));
            g.keys("wer", Keys.ENTER);
            f.await(x -> f.messageTexts().contains("I am writing a long answer"));
            f.await(x -> f.text("typing-line").isEmpty());
            assertThat("the typer does not see themselves typing", g.text("typing-line"), is(""));
        }
    }

    @Test
    void editsAndDeletesAreSeenByTheOthersLiveAndInHistory() {
        String hana = BrowserStack.name("hana");
        String ivo = BrowserStack.name("ivo");
        try (Browser h = signedUp(hana, 0); Browser i = signedUp(ivo, 1)) {
            openChatWith(h, ivo);
            h.send("See you at 8");
            h.send("My password is hunter2");
            h.await(x -> h.statusOfMyMessage("My password is hunter2").equals("delivered"));
            i.openConversationWith(hana);
            i.await(x -> i.messageTexts().containsAll(List.of("See you at 8", "My password is hunter2")));

            messageAction(h, "See you at 8", "message-edit");
            h.awaitVisible("edit-bar");
            h.type("composer-text", "See you at 9");
            h.keys(Keys.ENTER);
            i.await(x -> i.messageTexts().contains("See you at 9"));
            i.await(x -> i.count("#messages li.message [data-testid=edited]") == 1);
            h.await(x -> h.messageTexts().contains("See you at 9") && !h.isVisible("edit-bar"));

            messageAction(h, "My password is hunter2", "message-delete");
            h.await(x -> Boolean.TRUE.equals(h.script(
                    "const b = document.querySelector('[data-testid=message-delete-confirm]');"
                    + "if (b) { b.click(); } return !!b;")));
            i.await(x -> i.messageTexts().contains("This message was deleted"));
            assertThat(i.messageTexts().contains("My password is hunter2"), is(false));
            h.await(x -> h.messageTexts().contains("You deleted this message"));

            // a fresh load shows the message as it is now
            i.reload();
            i.awaitChat();
            i.openConversationWith(hana);
            i.await(x -> i.messageTexts().containsAll(List.of("See you at 9", "This message was deleted")));
            assertThat(i.messageTexts().contains("My password is hunter2"), is(false));
            assertThat(i.count("#messages li.message [data-testid=edited]"), is(1));
        }
    }

    @Test
    void unreadBadgesAgreeAcrossTwoSessionsOfOneUser() {
        String jan = BrowserStack.name("jan");
        String kim = BrowserStack.name("kim");
        try (Browser j = signedUp(jan, 0); Browser k1 = signedUp(kim, 1)) {
            openChatWith(j, kim);
            j.send("one");
            j.send("two");
            k1.await(x -> k1.unreadBadge(jan).equals("2"));
            try (Browser k2 = new Browser()) {
                // a second device that holds none of the messages shows the server's count
                k2.open(stack.chatUrls().get(0));
                k2.login(kim, kim + "-password");
                k2.awaitChat();
                k2.await(x -> k2.unreadBadge(jan).equals("2"));

                // reading on one clears the badge on the other
                k1.openConversationWith(jan);
                k2.await(x -> k2.unreadBadge(jan).isEmpty());
                assertThat(k1.unreadBadge(jan), is(""));

                // a message read at once on one device leaves no badge on the other
                j.send("three");
                k1.await(x -> k1.messageTexts().contains("three"));
                k2.await(x -> k2.unreadBadge(jan).isEmpty());
            }
        }
    }

    @Test
    void lastSeenShowsUnderTheNameAndTheSettingsHideIt() {
        String lea = BrowserStack.name("lea");
        String max = BrowserStack.name("max");
        try (Browser l = signedUp(lea, 0)) {
            try (Browser m = signedUp(max, 1)) {
                assertThat(m.text("me"), is(max));
                openChatWith(l, max);
                l.await(x -> l.text("conversation-subtitle").equals("online"));
                l.send("Back in a minute?");
                l.await(x -> l.statusOfMyMessage("Back in a minute?").equals("delivered"));
            }
            l.await(x -> l.text("conversation-subtitle").startsWith("last seen today at "));

            try (Browser m = new Browser()) {
                m.open(stack.chatUrls().get(1));
                m.login(max, max + "-password");
                m.awaitChat();
                m.click("settings-open");
                m.awaitVisible("settings-dialog");
                assertThat(m.script("return document.getElementById('setting-last-seen').checked"), is(true));
                m.click("setting-last-seen");
                m.await(x -> Boolean.FALSE.equals(m.script(
                        "return document.getElementById('setting-last-seen').checked")));
                m.click("settings-close");
                l.await(x -> l.text("conversation-subtitle").equals("online"));
            }
            // gone again, with last seen hidden: the old one is not shown either
            l.await(x -> l.text("conversation-subtitle").isEmpty());
            l.reload();
            l.awaitChat();
            l.openConversationWith(max);
            assertThat(l.text("conversation-subtitle"), not(startsWith("last seen")));
        }
    }

    /** Opens the private chat with {@code peer} from the online list, once {@code browser} shows them online. */
    private static void openChatWith(Browser browser, String peer) {
        browser.await(x -> browser.online().contains(peer));
        browser.openConversationWith(peer);
    }

    /** The "Read by N of M" of one's own group message. */
    private static String readBy(Browser browser, String text) {
        return String.valueOf(browser.script(
                "const li = [...document.querySelectorAll('#messages li.message.mine')]"
                + ".find(e => e.querySelector('.text').textContent === arguments[0]);"
                + "const readBy = li && li.querySelector('[data-testid=read-by]');"
                + "return readBy ? readBy.textContent : '';", text));
    }

    /** Whether one's own private message shows read (blue) ticks. */
    private static boolean isRead(Browser browser, String text) {
        return Boolean.TRUE.equals(browser.script(
                "const li = [...document.querySelectorAll('#messages li.message.mine')]"
                + ".find(e => e.querySelector('.text').textContent === arguments[0]);"
                + "return !!li && li.dataset.read === 'true';", text));
    }

    /** Opens the menu of one's own message and picks an item of it ({@code message-edit}, {@code message-delete}). */
    private static void messageAction(Browser browser, String text, String item) {
        browser.script("[...document.querySelectorAll('#messages li.message.mine')]"
                       + ".find(e => e.querySelector('.text').textContent === arguments[0])"
                       + ".querySelector('[data-testid=message-actions]').click()", text);
        browser.await(x -> Boolean.TRUE.equals(browser.script(
                "const b = document.querySelector('[data-testid=' + arguments[0] + ']');"
                + "if (b) { b.click(); } return !!b;", item)));
    }
}
