package io.microchat.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The terminal client as a person uses it: its packaged jar in its own process, commands typed on standard
 * input, everything read from standard output, against the real local stack.
 */
class TerminalClientTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static LocalStack stack;
    private static Path root;
    private static TemporaryDirectory data;

    @BeforeAll
    static void start() throws Exception {
        root = Path.of(System.getProperty("microchat.root", "..")).toAbsolutePath().normalize();
        data = TemporaryDirectory.create("cli-data");
        stack = LocalStack.start(LocalStack.Settings.onFreePorts(root, data.path(), 2, System.out));
    }

    @AfterAll
    static void stop() {
        stack.close();
        data.close();
    }

    @Test
    void registerChatBothWaysBroadcastAndSurviveARestart() throws Exception {
        String tina = "tina" + NAMES.incrementAndGet();
        String uma = "uma" + NAMES.incrementAndGet();
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(uma, "uma-password");
        AuthClient.Token umaToken = auth.login(uma, "uma-password");
        URI chat1 = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");

        try (Terminal cli = Terminal.start(stack.authUrl(), chat1.toString());
             ChatClient u = ChatClient.connect(URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws"),
                                               uma, umaToken.value(), new MessageLog())) {
            u.awaitWelcome(Duration.ofSeconds(10));
            cli.type("/register " + tina);
            cli.type("tina-password");
            cli.awaitLine("* logged in as " + tina);

            cli.type("/users");
            cli.awaitLineContaining("* online: ");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                cli.type("/users");
                return cli.lines().stream().anyMatch(l -> l.startsWith("* online: ") && l.contains(uma)
                                                          && l.contains(tina));
            });

            cli.type("/msg " + uma + " hello from the terminal");
            cli.awaitLine("✓ sent to " + uma);
            assertThat(u.log().awaitCount(1, 10_000), is(true));
            assertThat(u.log().messages().getFirst().getString("text"), is("hello from the terminal"));
            cli.awaitLine("✓✓ delivered to " + uma);

            u.sendPrivate(tina, "hello back from the browser side").get(10, TimeUnit.SECONDS);
            cli.awaitLineContaining(uma + " -> you: hello back from the browser side");

            cli.type("/all hello everyone");
            cli.awaitLine("✓ sent to everyone");
            await().atMost(Duration.ofSeconds(10)).until(() -> u.log().messages().stream()
                    .anyMatch(m -> "hello everyone".equals(m.getString("text"))));

            stack.restartChat(0, () -> cli.awaitLineContaining("* connection lost"));
            cli.awaitLine("* reconnected");
            u.sendPrivate(tina, "after the restart").get(10, TimeUnit.SECONDS);
            cli.awaitLineContaining(uma + " -> you: after the restart");

            cli.type("/history " + uma);
            cli.awaitLineContaining(tina + " -> " + uma + ": hello from the terminal");
            cli.type("/quit");
        }
    }

    @Test
    void groupsFromTheTerminal() throws Exception {
        String tom = "tom" + NAMES.incrementAndGet();
        String uma = "uma" + NAMES.incrementAndGet();
        String vera = "vera" + NAMES.incrementAndGet();
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(uma, "uma-password");
        auth.register(vera, "vera-password");
        URI chat2 = URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws");
        URI chat1 = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");

        try (Terminal cli = Terminal.start(stack.authUrl(), chat1.toString());
             ChatClient u = ChatClient.connect(chat2, uma, auth.login(uma, "uma-password").value(), new MessageLog());
             ChatClient v = ChatClient.connect(chat2, vera, auth.login(vera, "vera-password").value(),
                                               new MessageLog())) {
            u.awaitWelcome(Duration.ofSeconds(10));
            v.awaitWelcome(Duration.ofSeconds(10));
            cli.type("/register " + tom);
            cli.type("tom-password");
            cli.awaitLine("* logged in as " + tom);

            cli.type("/group create \"Road trip\" " + uma + "," + vera);
            cli.awaitLineContaining("* #Road trip (g-");
            cli.awaitLineContaining(tom + " (admin), " + uma + ", " + vera);
            cli.awaitLineContaining("* " + tom + " created #Road trip with " + uma + ", " + vera);

            cli.type("/g \"Road trip\" hello group");
            cli.awaitLine("✓ sent to #Road trip");
            await().atMost(Duration.ofSeconds(10)).until(() -> u.log().messages().stream()
                    .anyMatch(m -> "hello group".equals(m.getString("text", null)) && m.containsKey("group")));
            String group = u.log().messages().stream().filter(m -> "hello group".equals(m.getString("text", null)))
                    .findFirst().orElseThrow().getString("group");
            u.sendToGroup(group, "hi from uma").get(10, TimeUnit.SECONDS);
            cli.awaitLineContaining(uma + " -> #Road trip: hi from uma");

            cli.type("/group remove \"Road trip\" " + vera);
            cli.awaitLineContaining("* " + tom + " removed " + vera + " from #Road trip");
            cli.type("/to #Road trip");
            cli.awaitLine("* plain lines now go to #Road trip");
            cli.type("only for the two of us");
            cli.awaitLine("✓ sent to #Road trip");
            await().atMost(Duration.ofSeconds(10)).until(() -> u.log().messages().stream()
                    .anyMatch(m -> "only for the two of us".equals(m.getString("text", null))));
            assertThat(v.log().messages().stream().anyMatch(m -> "only for the two of us".equals(
                    m.getString("text", null))), is(false));

            cli.type("/groups");
            cli.awaitLineContaining("): 2 members, you are admin");
            cli.type("/history #Road trip");
            cli.awaitLineContaining(tom + " -> #Road trip: hello group");
            cli.type("/group add \"Road trip\" nobody-" + tom);
            cli.awaitLineContaining("! There is no user 'nobody-" + tom + "'.");
            cli.type("/group admin \"Road trip\" " + uma);
            cli.awaitLineContaining("* " + tom + " made " + uma + " admin of #Road trip");
            cli.type("/group leave \"Road trip\"");
            cli.awaitLine("* you left #Road trip");
            cli.type("/quit");
        }
    }

    @Test
    void editAndDeleteOwnMessagesByTheirNumber() throws Exception {
        String vic = "vic" + NAMES.incrementAndGet();
        String wes = "wes" + NAMES.incrementAndGet();
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(wes, "wes-password");
        AuthClient.Token wesToken = auth.login(wes, "wes-password");
        URI chat1 = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");

        try (Terminal cli = Terminal.start(stack.authUrl(), chat1.toString());
             ChatClient w = ChatClient.connect(URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws"),
                                               wes, wesToken.value(), new MessageLog())) {
            w.awaitWelcome(Duration.ofSeconds(10));
            cli.type("/register " + vic);
            cli.type("vic-password");
            cli.awaitLine("* logged in as " + vic);
            cli.type("/help");
            cli.awaitLineContaining("/edit N TEXT");

            cli.type("/msg " + wes + " helo");
            cli.awaitLine("✓ sent to " + wes);
            assertThat(w.log().awaitCount(1, 10_000), is(true));
            String id = w.log().messages().getFirst().getString("id");
            cli.type("/mine");
            cli.awaitLineContaining(" 1  ");
            cli.type("/edit 1 hello");
            cli.awaitLine("✓ edited");
            await().atMost(Duration.ofSeconds(10)).until(() -> "hello".equals(w.log().get(id).getString("text")));

            String reply = w.sendPrivate(vic, "hi vic").get(10, TimeUnit.SECONDS).getString("id");
            cli.awaitLineContaining(wes + " -> you: hi vic");
            w.edit(reply, "hi there vic").get(10, TimeUnit.SECONDS);
            cli.awaitLineContaining("* edited: ");
            cli.awaitLineContaining(wes + " -> you: hi there vic (edited)");

            cli.type("/delete " + id.substring(0, 18));
            cli.awaitLine("✓ deleted");
            await().atMost(Duration.ofSeconds(10)).until(() -> w.log().get(id).getBoolean("deleted", false));
            cli.type("/edit 1 again");
            cli.awaitLine("! you have no message 1; see /mine");
            cli.type("/quit");
        }
    }

    @Test
    void readMarkersTypingAndSettingsFromTheTerminal() throws Exception {
        String vera = "vera" + NAMES.incrementAndGet();
        String walt = "walt" + NAMES.incrementAndGet();
        AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
        auth.register(walt, "walt-password");
        AuthClient.Token waltToken = auth.login(walt, "walt-password");
        URI chat1 = URI.create(stack.chatUrls().get(0).replace("http://", "ws://") + "ws");
        Duration wait = Duration.ofSeconds(10);

        try (Terminal cli = Terminal.start(stack.authUrl(), chat1.toString());
             ChatClient w = ChatClient.connect(URI.create(stack.chatUrls().get(1).replace("http://", "ws://") + "ws"),
                                               walt, waltToken.value(), new MessageLog())) {
            w.awaitWelcome(wait);
            cli.type("/register " + vera);
            cli.type("vera-password");
            cli.awaitLine("* logged in as " + vera);

            w.sendPrivate(vera, "read me").get(10, TimeUnit.SECONDS);
            cli.awaitLineContaining(walt + " -> you: read me");
            cli.type("/read " + walt);
            cli.awaitLineContaining("with " + walt + " (0 unread)");
            assertThat(w.awaitFrame(f -> "read".equals(f.getString("type", "")), wait).getString("by"), is(vera));

            w.typing("with", vera);
            cli.awaitLine("* " + walt + " is typing");
            cli.type("/typing " + walt);
            assertThat(w.awaitFrame(f -> "typing".equals(f.getString("type", "")), wait).getString("from"),
                       is(vera));

            cli.type("/settings receipts off");
            cli.awaitLine("* settings: read receipts off, last seen shown");
            cli.type("/settings lastseen off");
            cli.awaitLine("* settings: read receipts off, last seen hidden");
            cli.type("/quit");
        }
    }

    /** The terminal client in its own process. */
    static final class Terminal implements AutoCloseable {
        private final Process process;
        private final Writer input;
        private final List<String> output = new CopyOnWriteArrayList<>();

        private Terminal(Process process) {
            this.process = process;
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        System.out.println("[cli] " + line);
                        output.add(line);
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
        }

        static Terminal start(String authUrl, String chatUrl) throws IOException {
            return start(root, authUrl, chatUrl);
        }

        static Terminal start(Path root, String authUrl, String chatUrl) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path jar = root.resolve("cli/target/microchat-cli.jar");
            return new Terminal(new ProcessBuilder(java, "-jar", jar.toString(), "--auth", authUrl, "--chat", chatUrl)
                                        .redirectErrorStream(true).start());
        }

        void type(String line) {
            try {
                input.write(line + "\n");
                input.flush();
            } catch (IOException e) {
                throw new IllegalStateException("terminal client gone", e);
            }
        }

        List<String> lines() {
            return output;
        }

        void awaitLine(String line) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output.contains(line));
        }

        void awaitLineContaining(String part) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output.stream().anyMatch(l -> l.contains(part)));
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
