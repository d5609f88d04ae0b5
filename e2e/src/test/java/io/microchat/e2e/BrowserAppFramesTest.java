package io.microchat.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The browser app's side of issue 18, frame by frame: headless Chromium runs the app as it is in
 * {@code frontend/src/main/web} with a chat server inside the page ({@code fake-chat-server.js}, answering as
 * docs/protocol.md says), so that what the app sends and how it shows what it gets are checked without the chat
 * service. {@link ConversationFeaturesBrowserTest} checks the same against the real stack.
 */
class BrowserAppFramesTest {

    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript",
                                                             "css", "text/css");
    private static HttpServer files;

    @BeforeAll
    static void serveTheApp() throws IOException {
        Path web = BrowserStack.root().resolve("frontend/src/main/web");
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/", exchange -> serve(web, exchange));
        files.start();
    }

    @AfterAll
    static void stop() {
        if (files != null) {
            files.stop(0);
        }
    }

    private static void serve(Path web, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Path file = web.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
        byte[] body = file.startsWith(web) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            String name = file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type",
                                              TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1),
                                                                 "application/octet-stream"));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** A browser with the app signed in as {@code me}, its server set up by {@code setup} (script on fakeChat). */
    private static Browser app(String me, String setup) {
        Browser browser = new Browser();
        try (InputStream in = BrowserAppFramesTest.class.getResourceAsStream("fake-chat-server.js")) {
            browser.beforeEveryPage(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("__ME__", me)
                                    + "\n(() => { const fake = window.fakeChat; " + setup + " })();");
        } catch (IOException e) {
            browser.close();
            throw new UncheckedIOException(e);
        }
        browser.open("http://127.0.0.1:" + files.getAddress().getPort() + "/");
        browser.awaitChat();
        return browser;
    }

    /** Delivers a frame (a JavaScript object literal, where {@code fake} is the page's server) to the app. */
    private static void push(Browser browser, String frame) {
        browser.script("const fake = window.fakeChat; fake.push(" + frame + ");");
    }

    /** How many frames of a type the app sent that have every field of {@code fields} (a JS object literal). */
    private static long sent(Browser browser, String type, String fields) {
        return ((Number) browser.script("const want = " + fields + ";"
                                        + "return window.fakeChat.sent.filter(f => f.type === arguments[0]"
                                        + " && Object.entries(want).every(([k, v]) => JSON.stringify(f[k])"
                                        + " === JSON.stringify(v))).length;", type)).longValue();
    }

    /** The id of one's own message with this text. */
    private static String idOf(Browser browser, String text) {
        return String.valueOf(browser.script("const li = [...document.querySelectorAll('#messages li.message')]"
                                             + ".find(e => e.querySelector('.text')?.textContent === arguments[0]);"
                                             + "return li ? li.dataset.id : null;", text));
    }

    private static String attribute(Browser browser, String text, String css, String script) {
        return String.valueOf(browser.script("const li = [...document.querySelectorAll('#messages li.message')]"
                                             + ".find(e => e.querySelector('.text')?.textContent === arguments[0]);"
                                             + "const e = li && li.querySelector(arguments[1]);"
                                             + "return e ? " + script + " : null;", text, css));
    }

    @Test
    void privateChatsShowTicksReadReceiptsTypingAndLastSeen() {
        try (Browser a = app("alice", "fake.online = ['alice', 'bob'];")) {
            a.openConversationWith("bob");
            assertThat(a.text("conversation-subtitle"), is("online"));
            a.send("hi bob");
            a.await(x -> a.statusOfMyMessage("hi bob").equals("sent"));
            String id = idOf(a, "hi bob");
            push(a, "{type: 'delivered', id: '" + id + "', by: 'bob', ts: Date.now()}");
            a.await(x -> a.statusOfMyMessage("hi bob").equals("delivered"));
            assertThat(attribute(a, "hi bob", ".tick", "e.className"), is("tick tick-delivered"));

            push(a, "{type: 'read', by: 'bob', with: 'bob', upTo: '" + id + "', ts: Date.now()}");
            a.await(x -> attribute(a, "hi bob", ".tick", "e.className").equals("tick tick-read"));
            assertThat(a.statusOfMyMessage("hi bob"), is("delivered"));

            // bob types, then his message arrives: the line goes at once; on its own it goes after 6 s
            push(a, "{type: 'typing', from: 'bob', with: 'bob'}");
            a.await(x -> a.text("typing-line").equals("bob is typing…"));
            push(a, "{type: 'message', id: fake.nextId(), from: 'bob', to: 'alice', text: 'hello alice',"
                    + " ts: Date.now()}");
            a.await(x -> a.messageTexts().contains("hello alice") && a.text("typing-line").isEmpty());
            push(a, "{type: 'typing', from: 'bob', with: 'bob'}");
            a.await(x -> !a.text("typing-line").isEmpty());
            long shown = System.nanoTime();
            a.await(x -> a.text("typing-line").isEmpty());
            assertThat("expires after about 6 s", (System.nanoTime() - shown) / 1_000_000 > 4_500, is(true));

            // the open chat is read up to bob's message: one 'read' with it
            String bobs = idOf(a, "hello alice");
            a.await(x -> sent(a, "read", "{with: 'bob', upTo: '" + bobs + "'}") == 1);

            // alice types (more than 3 s after she typed "hi bob"): one 'typing' for a burst of keys
            long before = sent(a, "typing", "{with: 'bob'}");
            a.type("composer-text", "a long answer");
            a.await(x -> sent(a, "typing", "{with: 'bob'}") == before + 1);
            a.keys(" with more words");
            assertThat(sent(a, "typing", "{with: 'bob'}"), is(before + 1));

            push(a, "{type: 'presence', online: [], offline: ['bob'], lastSeen: {bob: Date.now() - 1000}}");
            a.await(x -> a.text("conversation-subtitle").startsWith("last seen today at "));
            push(a, "{type: 'presence', online: ['bob'], offline: []}");
            a.await(x -> a.text("conversation-subtitle").equals("online"));
            push(a, "{type: 'presence', online: [], offline: ['bob']}");
            a.await(x -> a.text("conversation-subtitle").isEmpty());
        }
    }

    @Test
    void unreadBadgesComeFromTheServerAndClearWithTheMarker() {
        String setup = "const ts = Date.now(); const id1 = fake.nextId(); const id2 = fake.nextId();"
                       + "fake.conversations = ["
                       + "{with: 'carol', last: {id: id1, from: 'carol', to: 'dave', text: 'five of them', ts},"
                       + " unread: 5, lastSeen: ts - 3600000},"
                       + "{group: 'g-00000000000000000000000a', name: 'Book club', last: {id: id2, from: 'erin',"
                       + " group: 'g-00000000000000000000000a', text: 'many', ts}, unread: 1000}];";
        try (Browser d = app("dave", setup)) {
            d.await(x -> d.unreadBadge("carol").equals("5"));
            d.await(x -> d.unreadBadge("Book club").equals("999+"));
            // read on another device
            d.script("const c = window.fakeChat.conversations[0];"
                     + "window.fakeChat.push({type: 'marker', with: 'carol', upTo: c.last.id, unread: 0});");
            d.await(x -> d.unreadBadge("carol").isEmpty());
            // a new message counts one
            push(d, "{type: 'message', id: fake.nextId(), from: 'carol', to: 'dave', text: 'six', ts: Date.now()}");
            d.await(x -> d.unreadBadge("carol").equals("1"));
            // opened here: read, and the badge goes
            d.openConversationWith("carol");
            d.await(x -> d.unreadBadge("carol").isEmpty());
            d.await(x -> sent(d, "read", "{with: 'carol'}") == 1);
            assertThat(d.text("conversation-subtitle"), startsWith("last seen "));
        }
    }

    @Test
    void ownMessagesAreEditedAndDeletedFromTheirMenuAndOthersChangesShow() {
        try (Browser a = app("alice", "fake.online = ['alice', 'bob'];")) {
            a.openConversationWith("bob");
            a.send("See you at 8");
            a.send("secret");
            a.await(x -> !idOf(a, "secret").equals("null"));
            String first = idOf(a, "See you at 8");

            clickInMessage(a, "See you at 8", "[data-testid=message-actions]");
            a.await(x -> a.count("[data-testid=message-edit]") == 1);
            assertThat("the menu takes the focus", a.script("return document.activeElement.dataset.testid"),
                       is("message-edit"));
            a.script("document.querySelector('[data-testid=message-edit]').click()");
            a.awaitVisible("edit-bar");
            assertThat(a.script("return document.getElementById('composer-text').value"), is("See you at 8"));
            a.type("composer-text", "See you at 9");
            a.keys(Keys.ENTER);
            a.await(x -> a.messageTexts().contains("See you at 9"));
            assertThat(sent(a, "edit", "{id: '" + first + "', text: 'See you at 9'}"), is(1L));
            assertThat(sent(a, "send", "{text: 'See you at 9'}"), is(0L));
            a.await(x -> !a.isVisible("edit-bar"));
            assertThat(attribute(a, "See you at 9", "[data-testid=edited]", "e.textContent"), is("edited"));

            String secret = idOf(a, "secret");
            clickInMessage(a, "secret", "[data-testid=message-actions]");
            a.await(x -> a.count("[data-testid=message-delete]") == 1);
            a.script("document.querySelector('[data-testid=message-delete]').click()");
            a.await(x -> a.count("[data-testid=message-delete-confirm]") == 1);
            assertThat("asked first", sent(a, "delete", "{}"), is(0L));
            a.screenshot("message-menu");
            a.script("document.querySelector('[data-testid=message-delete-confirm]').click()");
            a.await(x -> a.messageTexts().contains("You deleted this message"));
            assertThat(sent(a, "delete", "{id: '" + secret + "'}"), is(1L));
            assertThat(a.messageTexts().contains("secret"), is(false));
            assertThat("a deleted message has no menu",
                       attribute(a, "You deleted this message", "[data-testid=message-actions]", "1"), is("null"));

            // bob's changes, live: an edit and a delete
            push(a, "{type: 'message', id: 'ffffffffff00000100000a', from: 'bob', to: 'alice', text: 'helo',"
                    + " ts: Date.now()}");
            a.await(x -> a.messageTexts().contains("helo"));
            assertThat("no menu on others' messages",
                       attribute(a, "helo", "[data-testid=message-actions]", "1"), is("null"));
            push(a, "{type: 'edited', id: 'ffffffffff00000100000a', with: 'bob', text: 'hello',"
                    + " editedAt: Date.now(), rev: 'ffffffffff00000100000b'}");
            a.await(x -> a.messageTexts().contains("hello"));
            push(a, "{type: 'deleted', id: 'ffffffffff00000100000a', with: 'bob', rev: 'ffffffffff00000100000c'}");
            a.await(x -> a.messageTexts().contains("This message was deleted"));
            // an older change that comes late changes nothing
            push(a, "{type: 'edited', id: 'ffffffffff00000100000a', with: 'bob', text: 'hello again',"
                    + " editedAt: Date.now(), rev: 'ffffffffff00000100000b'}");
            push(a, "{type: 'pong'}");
            a.await(x -> a.messageTexts().contains("This message was deleted"));
            assertThat(a.messageTexts().contains("hello again"), is(false));
        }
    }

    @Test
    void theEditIsOfferedWithinTheEditWindowTheWelcomeAnnounces() {
        String setup = "fake.online = ['alice', 'bob']; fake.limits.editWindowMs = 60000;"
                       + "const ids = [fake.nextId(), fake.nextId()]; const now = Date.now();"
                       + "fake.history = [{id: ids[1], from: 'alice', to: 'bob', text: 'just now', ts: now},"
                       + "{id: ids[0], from: 'alice', to: 'bob', text: 'two minutes ago', ts: now - 120000}];";
        try (Browser a = app("alice", setup)) {
            a.openConversationWith("bob");
            a.await(x -> a.messageTexts().equals(List.of("two minutes ago", "just now")));

            // past a one-minute window (inside the default 15 minutes): delete only
            clickInMessage(a, "two minutes ago", "[data-testid=message-actions]");
            a.await(x -> a.count("[data-testid=message-delete]") == 1);
            assertThat(a.count("[data-testid=message-edit]"), is(0));

            clickInMessage(a, "just now", "[data-testid=message-actions]");
            a.await(x -> attribute(a, "just now", "[data-testid=message-edit]", "1").equals("1"));
            assertThat(attribute(a, "just now", "[data-testid=message-delete]", "1"), is("1"));
        }
    }

    @Test
    void historyShowsMessagesAsTheyAreNowAndTheMarkersOfThePeer() {
        String setup = "const ts = Date.now() - 60000; const ids = [fake.nextId(), fake.nextId(), fake.nextId()];"
                       + "fake.online = ['alice', 'bob']; fake.markers = {bob: ids[2]};"
                       + "fake.history = [{id: ids[2], from: 'alice', to: 'bob', text: 'mine', ts, deliveredAt: ts},"
                       + "{id: ids[1], from: 'bob', to: 'alice', text: '', ts, deleted: true},"
                       + "{id: ids[0], from: 'bob', to: 'alice', text: 'fixed', ts, edited: ts + 1000}];";
        try (Browser a = app("alice", setup)) {
            a.openConversationWith("bob");
            a.await(x -> a.messageTexts().equals(List.of("fixed", "This message was deleted", "mine")));
            assertThat(attribute(a, "fixed", "[data-testid=edited]", "e.textContent"), is("edited"));
            assertThat(attribute(a, "mine", ".tick", "e.className"), is("tick tick-read"));
            assertThat(a.count("#messages li.message.deleted"), is(1));
        }
    }

    @Test
    void aGroupIsMadeInTheDialogAndItsMembersManagedByItsAdmin() {
        try (Browser a = app("alice", "fake.online = ['alice', 'bob'];")) {
            a.await(x -> a.online().contains("bob"));
            a.click("new-group");
            a.awaitVisible("group-dialog");
            a.click("group-create");
            a.await(x -> a.isVisible("group-error"));
            assertThat("no name, no request", sent(a, "group_create", "{}"), is(0L));

            a.type("group-name", "  Trip to Lisbon ");
            a.type("group-member-search", "bo");
            a.await(x -> a.count("#group-candidates li") == 1);
            a.script("document.querySelector('[data-testid=group-candidate][value=bob]').click()");
            a.type("group-member-search", "carol");
            a.keys(Keys.ENTER);
            a.await(x -> a.count("#group-selected li") == 2);
            a.click("group-create");
            a.await(x -> a.text("conversation-title").equals("Trip to Lisbon"));
            assertThat(sent(a, "group_create", "{name: 'Trip to Lisbon', members: ['bob', 'carol']}"), is(1L));
            assertThat(a.isVisible("group-dialog"), is(false));
            a.await(x -> a.text("conversation-subtitle").equals("You, bob and carol"));
            a.await(x -> a.count("#messages li.event") == 1);
            assertThat(a.text("messages"),
                       containsString("You created the group “Trip to Lisbon” with bob and carol"));
            String group = String.valueOf(a.script("return [...window.fakeChat.groups.keys()][0]"));

            a.send("Flights are booked");
            a.await(x -> a.statusOfMyMessage("Flights are booked").equals("sent"));
            assertThat(sent(a, "send", "{group: '" + group + "', text: 'Flights are booked'}"), is(1L));
            String id = idOf(a, "Flights are booked");
            a.await(x -> attribute(a, "Flights are booked", "[data-testid=read-by]", "e.textContent")
                    .equals("Read by 0 of 2"));
            push(a, "{type: 'read', by: 'bob', group: '" + group + "', upTo: '" + id + "', ts: Date.now()}");
            a.await(x -> attribute(a, "Flights are booked", "[data-testid=read-by]", "e.textContent")
                    .equals("Read by 1 of 2"));
            assertThat(attribute(a, "Flights are booked", "[data-testid=read-by]", "e.title"), is("Read by bob"));
            clickInMessage(a, "Flights are booked", "[data-testid=read-by]");
            a.await(x -> a.count("[data-testid=readers] li") == 1);
            push(a, "{type: 'read', by: 'carol', group: '" + group + "', upTo: '" + id + "', ts: Date.now()}");
            a.await(x -> attribute(a, "Flights are booked", ".tick", "e.className").equals("tick tick-read"));

            push(a, "{type: 'typing', from: 'bob', group: '" + group + "'}");
            push(a, "{type: 'typing', from: 'carol', group: '" + group + "'}");
            a.await(x -> a.text("typing-line").equals("bob and carol are typing…"));
            a.type("composer-text", "x");
            a.await(x -> sent(a, "typing", "{group: '" + group + "'}") == 1);
            a.type("composer-text", "");

            a.click("group-members-open");
            a.awaitVisible("members-dialog");
            a.await(x -> a.count("#members-list li") == 3);
            a.script("document.querySelector('#members-list li[data-user=bob] [data-testid=make-admin]').click()");
            a.await(x -> a.count("#members-list li[data-user=bob] .role") == 1);
            assertThat(sent(a, "group_admin", "{group: '" + group + "', users: ['bob']}"), is(1L));
            a.script("document.querySelector('#members-list li[data-user=carol] [data-testid=remove-member]').click()");
            a.await(x -> a.count("#members-list li") == 2);
            a.type("members-add-name", "dave");
            a.click("members-add");
            a.await(x -> a.count("#members-list li") == 3);
            assertThat(sent(a, "group_add", "{group: '" + group + "', users: ['dave']}"), is(1L));
            a.click("group-leave");
            a.await(x -> !a.isVisible("members-dialog"));
            a.await(x -> a.isVisible("group-left-notice"));
            assertThat(a.script("return document.getElementById('composer-text').disabled"), is(true));
            assertThat(a.text("messages"), containsString("You made bob admin"));
            assertThat(a.text("messages"), containsString("You removed carol"));
            assertThat(a.text("messages"), containsString("You added dave"));
            assertThat(a.text("messages"), containsString("You left"));
            a.screenshot("group-frames");
        }
    }

    @Test
    void theSettingsPanelShowsAndChangesTheTwoPrivacySettings() {
        try (Browser a = app("alice", "fake.settings = {readReceipts: false, showLastSeen: true};")) {
            a.click("settings-open");
            a.awaitVisible("settings-dialog");
            assertThat(a.script("return document.getElementById('setting-read-receipts').checked"), is(false));
            assertThat(a.script("return document.getElementById('setting-last-seen').checked"), is(true));
            a.click("setting-read-receipts");
            a.await(x -> sent(a, "settings", "{readReceipts: true}") == 1);
            // another device hides last seen
            push(a, "{type: 'settings', readReceipts: true, showLastSeen: false}");
            a.await(x -> Boolean.FALSE.equals(a.script("return document.getElementById('setting-last-seen').checked")));
            assertThat(a.script("return document.getElementById('setting-read-receipts').checked"), is(true));
            a.keys(Keys.ESCAPE);
            a.await(x -> !a.isVisible("settings-dialog"));
        }
    }

    @Test
    void withReadReceiptsOffNoTicksTurnBlue() {
        try (Browser a = app("alice", "fake.online = ['alice', 'bob'];"
                                      + "fake.settings = {readReceipts: false, showLastSeen: true};")) {
            a.openConversationWith("bob");
            a.send("quiet");
            a.await(x -> !idOf(a, "quiet").equals("null"));
            push(a, "{type: 'read', by: 'bob', with: 'bob', upTo: '" + idOf(a, "quiet") + "', ts: Date.now()}");
            push(a, "{type: 'pong'}");
            a.await(x -> a.statusOfMyMessage("quiet").equals("sent"));
            assertThat(attribute(a, "quiet", ".tick", "e.className"), is("tick tick-sent"));
            assertThat(a.count("#messages li[data-read]"), is(0));
        }
    }

    private static void clickInMessage(Browser browser, String text, String css) {
        browser.script("[...document.querySelectorAll('#messages li.message')]"
                       + ".find(e => e.querySelector('.text')?.textContent === arguments[0])"
                       + ".querySelector(arguments[1]).click()", text, css);
    }
}
