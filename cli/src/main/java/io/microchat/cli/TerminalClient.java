package io.microchat.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import io.microchat.client.AuthClient;
import io.microchat.client.AuthSession;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.protocol.CloseCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import io.microchat.protocol.Groups;
import io.microchat.protocol.Rooms;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * The MicroChat terminal client. Reads commands from standard input, prints what happens on standard output:
 *
 * {@code /help} lists the commands (see {@code HELP}): registering and logging in, who is online, private,
 * room and group messages, history, groups and their members, editing and deleting one's messages, the password,
 * signing out.
 *
 * The connection comes back by itself after a network failure, when a server drains, or when it cannot check the
 * token for now (close 1013), and resumes where it was; when more was missed than one replay carries, the older
 * missed messages are loaded too. The access token is renewed before it expires (and handed to the open
 * connection), and after the server said it expired; only when the session itself ended (signed out elsewhere) does
 * the client ask to log in again.
 */
public final class TerminalClient {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SETTINGS_USAGE = "/settings receipts|lastseen on|off";
    private static final String EDIT_USAGE = "/edit N TEXT";
    private static final String HELP = String.join("\n",
            "/register NAME      register (asks for the password), then log in",
            "/login NAME         log in (asks for the password)",
            "/users              who is online",
            "/msg NAME TEXT      a private message",
            "/all TEXT           a message to everyone",
            "/to NAME | /to all  where plain lines go (everyone at first); /to #GROUP: to a group",
            "/history [NAME]     the last messages with NAME, or in the room; /history #GROUP: in a group",
            "/read [NAME]        mark the conversation with NAME (or the room) read up to its newest message here;"
                    + " /read #GROUP: a group",
            "/typing NAME        tell NAME you are typing (shown to them for 6 seconds); /typing #GROUP: a group's"
                    + " members",
            "/settings receipts on|off   send and see read receipts (off: neither)",
            "/settings lastseen on|off   show others when you were last online",
            "/groups                          your groups",
            "/group create NAME [a,b,...]     a group with these members (quote a NAME with spaces: \"Trip to Lisbon\")",
            "/group add GROUP a,b,...         add members (admins)",
            "/group remove GROUP a,b,...      remove members (admins)",
            "/group admin GROUP a,b,...       make members admins (admins)",
            "/group leave GROUP               leave a group",
            "/group info GROUP                a group and its members (last seen of those offline)",
            "/g GROUP TEXT                    a message to a group",
            "                    (GROUP is a group's id or its name, quoted when it has spaces)",
            "/mine               your last messages, numbered: 1 is your newest (what /edit and /delete take)",
            "/edit N TEXT        replace the text of your message N of /mine (or the one whose id starts with N);",
            "                    within 15 minutes of sending it (the server's edit window)",
            "/delete N           delete your message N of /mine (or the one whose id starts with N)",
            "/password           change the password; other devices are signed out",
            "/logout             sign out here",
            "/logout-all         sign out on every device",
            "/help               this list",
            "/quit               leave");
    /** How many of one's own messages {@code /mine} numbers. */
    private static final int MINE = 9;

    private final AuthClient auth;
    private final URI chatUri;
    private final BufferedReader in;
    private final PrintStream out;
    private final MessageLog log = new MessageLog();
    private volatile ChatClient client;
    private volatile AuthSession session;
    private volatile boolean running = true;
    private String target;
    /** Where plain lines go when it is a group (then {@code target} is null). */
    private String targetGroup;
    /** Group names by id, from the answers and events seen. */
    private final Map<String, String> groupNames = new java.util.concurrent.ConcurrentHashMap<>();

    TerminalClient(URI authUri, URI chatUri, BufferedReader in, PrintStream out) {
        this.auth = new AuthClient(authUri);
        this.chatUri = chatUri;
        this.in = in;
        this.out = out;
    }

    /**
     * Runs the client.
     *
     * @param args {@code [--auth URL] [--chat URL]}; defaults {@code http://127.0.0.1:8081} and
     *             {@code ws://127.0.0.1:8082/ws}
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new java.util.HashMap<>(Map.of("--auth", "http://127.0.0.1:8081",
                                                                     "--chat", "ws://127.0.0.1:8082/ws"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        new TerminalClient(URI.create(options.get("--auth")), URI.create(options.get("--chat")), in, out).run();
    }

    void run() throws IOException {
        out.println("MicroChat. /register NAME or /login NAME to start; /help for the commands; /quit to leave.");
        String line;
        while (running && (line = in.readLine()) != null) {
            try {
                command(line.strip());
            } catch (AuthClient.ApiException e) {
                out.println("! " + e.getMessage());
            } catch (RuntimeException e) {
                out.println("! " + e.getMessage());
            }
        }
        running = false;
        if (client != null) {
            client.close();
        }
    }

    private void command(String line) throws IOException {
        if (line.isEmpty()) {
            return;
        }
        String[] words = line.split("\\s+", 3);
        switch (words[0]) {
        case "/register" -> {
            String name = argument(words, 1, "/register NAME");
            String password = password();
            auth.register(name, password);
            out.println("* registered " + name);
            login(name, password);
        }
        case "/login" -> login(argument(words, 1, "/login NAME"), null);
        case "/users" -> out.println("* online: " + String.join(", ", new TreeSet<>(connected().online())));
        case "/msg" -> send(argument(words, 1, "/msg NAME TEXT"), argument(words, 2, "/msg NAME TEXT"));
        case "/all" -> send(null, line.substring(4).strip());
        case "/to" -> {
            String to = argument(words, 1, "/to NAME");
            if (to.startsWith("#")) {
                targetGroup = group(line.substring(line.indexOf('#') + 1).strip());
                target = null;
                out.println("* plain lines now go to " + groupLabel(targetGroup));
            } else {
                target = Rooms.ALL.equals(to) ? null : to;
                targetGroup = null;
                out.println("* plain lines now go to " + (target == null ? "everyone" : target));
            }
        }
        case "/history" -> {
            if (words.length > 1 && words[1].startsWith("#")) {
                history(Field.GROUP, group(line.substring(line.indexOf('#') + 1).strip()));
            } else {
                history(words.length > 1 ? words[1] : null);
            }
        }
        case "/groups" -> listGroups();
        case "/group" -> groupCommand(line.substring("/group".length()).strip());
        case "/g" -> {
            List<String> parts = quotedWords(line.substring(2).strip(), 2);
            if (parts.size() < 2 || parts.get(1).isBlank()) {
                throw new IllegalArgumentException("usage: /g GROUP TEXT");
            }
            sendToGroup(group(parts.get(0)), parts.get(1));
        }
        case "/mine" -> listMine();
        case "/edit" -> edit(argument(words, 1, EDIT_USAGE), argument(words, 2, EDIT_USAGE));
        case "/delete" -> delete(argument(words, 1, "/delete N"));
        case "/read" -> {
            if (words.length > 1 && words[1].startsWith("#")) {
                readGroup(group(line.substring(line.indexOf('#') + 1).strip()));
            } else {
                read(words.length > 1 ? words[1] : null);
            }
        }
        case "/typing" -> {
            String to = argument(words, 1, "/typing NAME");
            if (to.startsWith("#")) {
                connected().typing(Field.GROUP, group(line.substring(line.indexOf('#') + 1).strip()));
            } else {
                connected().typing(Field.WITH, to);
            }
        }
        case "/settings" -> settings(argument(words, 1, SETTINGS_USAGE), argument(words, 2, SETTINGS_USAGE));
        case "/password" -> changePassword();
        case "/logout" -> signOut(false);
        case "/logout-all" -> signOut(true);
        case "/help" -> out.println(HELP);
        case "/quit" -> running = false;
        default -> {
            if (line.startsWith("/")) {
                out.println("! unknown command " + words[0]);
            } else if (targetGroup != null) {
                sendToGroup(targetGroup, line);
            } else {
                send(target, line);
            }
        }
        }
    }

    private void login(String name, String password) throws IOException {
        AuthClient.Token token = auth.login(name, password == null ? password() : password);
        if (session != null) {
            session.close();
        }
        AuthSession fresh = new AuthSession(auth, token);
        fresh.onRefreshed(t -> {
            ChatClient current = client;
            if (current != null && !current.closed().isDone()) {
                current.reauthenticate(t.value());
            }
        });
        session = fresh;
        out.println("* logged in as " + token.username());
        try {
            connect();
        } catch (RuntimeException e) {
            ChatClient failed = client;
            ChatClient.Closed closed = failed == null ? null : failed.closed().getNow(null);
            if (closed == null || sessionEnded(closed)) {
                throw e;
            }
            Thread.startVirtualThread(() -> reconnect(failed, closed));
        }
    }

    /** Whether the server refused the token for good (invalid, revoked or expired), as opposed to for now. */
    private static boolean sessionEnded(ChatClient.Closed closed) {
        return closed.code() == CloseCode.UNAUTHORIZED || closed.code() == CloseCode.SESSION_REVOKED
                || closed.code() == CloseCode.TOKEN_EXPIRED;
    }

    private void changePassword() throws IOException {
        AuthSession current = signedIn();
        out.println("current password, then the new one:");
        String old = password();
        String fresh = password();
        int ended = auth.changePassword(current.token().value(), old, fresh);
        out.println("* password changed; " + ended + " other session(s) signed out");
    }

    private AuthSession signedIn() {
        if (session == null || session.isEnded()) {
            throw new IllegalStateException("not logged in: /login NAME first");
        }
        return session;
    }

    /** Signs out here or everywhere; the connection is closed first, so its revocation is no surprise. */
    private void signOut(boolean everywhere) {
        AuthSession current = signedIn();
        ChatClient connection = client;
        client = null;
        session = null;
        if (connection != null) {
            connection.close();
        }
        current.close();
        if (everywhere) {
            out.println("* signed out on " + auth.logoutEverywhere(current.token().value()) + " device(s)");
        } else {
            current.logout();
            out.println("* signed out");
        }
    }

    private String password() throws IOException {
        Console console = System.console();
        if (isTerminal(console)) {
            char[] chars = console.readPassword("password: ");
            return chars == null ? "" : new String(chars);
        }
        out.println("password:");
        String line = in.readLine();
        return line == null ? "" : line;
    }

    /**
     * Whether there is a real terminal to read a password from without echo. Since JDK 22 {@code System.console()}
     * exists even when standard input is a pipe; {@code Console.isTerminal()} (JDK 22) tells, and on older JDKs a
     * console exists only for a terminal.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private void connect() {
        AuthClient.Token token = session.token();
        ChatClient fresh = ChatClient.connect(chatUri, token.username(), token.value(), log,
                                              new ChatClient.Options(null, true, false, this::printMessage,
                                                                     this::printFrame, this::printChange));
        client = fresh;
        fresh.awaitWelcome(WAIT);
        // reconnecting waits (backoff, handshake): never in the client's callback thread, which reads every socket
        fresh.closed().thenAcceptAsync(closed -> reconnect(fresh, closed), Thread::startVirtualThread);
    }

    private void reconnect(ChatClient old, ChatClient.Closed closed) {
        if (!running || client != old) {
            return;
        }
        AuthSession current = session;
        if (current == null) {
            return;
        }
        boolean tokenClose = sessionEnded(closed);
        if (tokenClose) {
            // the token is no good any more: a fresh one, unless the session itself ended; nothing to tell the user
            try {
                current.refreshNow(current.token().value());
            } catch (RuntimeException e) {
                out.println("! session ended (" + closed.reason() + "); /login again");
                return;
            }
        } else {
            out.println("* connection lost (" + closed.code() + "); reconnecting");
        }
        long backoff = tokenClose ? 1 : 250;
        while (running) {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(backoff));
                connect();
                if (!tokenClose) {
                    out.println("* reconnected");
                }
                return;
            } catch (RuntimeException e) {
                ChatClient.Closed refused = client == null ? null : client.closed().getNow(null);
                if (refused != null && sessionEnded(refused)) {
                    out.println("! session ended (" + refused.reason() + "); /login again");
                    return;
                }
                backoff = Math.min(10_000, backoff * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(String to, String text) {
        ChatClient connected = connected();
        var outcome = to == null ? connected.sendBroadcast(text) : connected.sendPrivate(to, text);
        outcome.thenAccept(frame -> {
            if (FrameType.SENT.equals(frame.getString(Field.TYPE))) {
                out.println("✓ sent to " + (to == null ? "everyone" : to));
            } else {
                out.println("! not sent: " + frame.getString(Field.MESSAGE));
            }
        });
    }

    private void history(String with) {
        if (with == null) {
            history(Field.ROOM, Rooms.ALL);
        } else {
            history(Field.WITH, with);
        }
    }

    private void history(String field, String target) {
        JsonObject page = connected().history(field, target, null, 20, WAIT);
        if (failed(page)) {
            return;
        }
        var messages = page.getJsonArray(Field.MESSAGES).getValuesAs(JsonObject.class);
        for (int i = messages.size() - 1; i >= 0; i--) {
            out.println(format(messages.get(i)));
        }
    }

    // ---- edits and deletes (issue 18) ----------------------------------------------------------------------

    /** One's own messages that were not deleted, newest first, at most {@link #MINE}. */
    private List<JsonObject> mine() {
        String me = signedIn().token().username();
        List<JsonObject> own = new ArrayList<>();
        List<JsonObject> all = log.messages();
        for (int i = all.size() - 1; i >= 0 && own.size() < MINE; i--) {
            JsonObject message = all.get(i);
            if (me.equalsIgnoreCase(message.getString(Field.FROM, "")) && !message.getBoolean(Field.DELETED, false)) {
                own.add(message);
            }
        }
        return own;
    }

    private void listMine() {
        List<JsonObject> own = mine();
        if (own.isEmpty()) {
            out.println("* you have sent nothing here yet");
        }
        for (int i = 0; i < own.size(); i++) {
            out.println(" " + (i + 1) + "  " + format(own.get(i)) + "  (" + own.get(i).getString(Field.ID) + ")");
        }
    }

    /** The message a user names: a number of {@code /mine}, or the start of one of their messages' id. */
    private String ownMessage(String which) {
        List<JsonObject> own = mine();
        if (which.matches("[1-9]")) {
            int n = Integer.parseInt(which);
            if (n > own.size()) {
                throw new IllegalArgumentException("you have no message " + n + "; see /mine");
            }
            return own.get(n - 1).getString(Field.ID);
        }
        List<String> matching = own.stream().map(m -> m.getString(Field.ID)).filter(id -> id.startsWith(which))
                .toList();
        if (matching.size() != 1) {
            throw new IllegalArgumentException((matching.isEmpty() ? "none" : "more than one")
                                               + " of your messages has an id starting '" + which + "'; see /mine");
        }
        return matching.getFirst();
    }

    private void edit(String which, String text) {
        connected().edit(ownMessage(which), text).thenAccept(frame -> {
            if (FrameType.EDITED.equals(frame.getString(Field.TYPE))) {
                out.println("✓ edited");
            } else {
                out.println("! not edited: " + frame.getString(Field.MESSAGE));
            }
        });
    }

    private void delete(String which) {
        connected().delete(ownMessage(which)).thenAccept(frame -> {
            if (FrameType.DELETED.equals(frame.getString(Field.TYPE))) {
                out.println("✓ deleted");
            } else {
                out.println("! not deleted: " + frame.getString(Field.MESSAGE));
            }
        });
    }

    /** Another device or user changed a message this client holds. */
    private void printChange(JsonObject change) {
        if (change.containsKey(Field.CLIENT_ID)) {
            return; // this client's own change: its answer says so
        }
        JsonObject message = log.get(change.getString(Field.ID));
        if (message != null) {
            out.println("* " + (FrameType.DELETED.equals(change.getString(Field.TYPE)) ? "deleted: " : "edited: ")
                        + format(message));
        }
    }

    // ---- read markers, typing, settings --------------------------------------------------------------------

    /** Marks a conversation read up to the newest message of it this client holds. */
    private void read(String with) {
        AuthSession current = signedIn();
        String me = current.token().username();
        String newest = null;
        for (JsonObject message : log.messages()) {
            boolean inIt = with == null ? message.containsKey(Field.ROOM)
                    : message.containsKey(Field.TO) && (with.equalsIgnoreCase(message.getString(Field.FROM))
                            && me.equalsIgnoreCase(message.getString(Field.TO))
                            || me.equalsIgnoreCase(message.getString(Field.FROM))
                            && with.equalsIgnoreCase(message.getString(Field.TO)));
            String id = message.getString(Field.ID, null);
            if (inIt && id != null && (newest == null || id.compareTo(newest) > 0)) {
                newest = id;
            }
        }
        if (newest == null) {
            out.println("! no message " + (with == null ? "in the room" : "with " + with) + " to mark read");
            return;
        }
        connected().read(with == null ? Field.ROOM : Field.WITH, with == null ? Rooms.ALL : with, newest);
    }

    private void readGroup(String group) {
        String newest = null;
        for (JsonObject message : log.messages()) {
            String id = message.getString(Field.ID, null);
            if (group.equals(message.getString(Field.GROUP, null)) && id != null
                    && (newest == null || id.compareTo(newest) > 0)) {
                newest = id;
            }
        }
        if (newest == null) {
            out.println("! no message in " + groupLabel(group) + " to mark read");
            return;
        }
        connected().read(Field.GROUP, group, newest);
    }

    private void settings(String which, String value) {
        if (!value.equals("on") && !value.equals("off")) {
            throw new IllegalArgumentException("usage: " + SETTINGS_USAGE);
        }
        boolean on = value.equals("on");
        switch (which) {
        case "receipts" -> connected().settings(on, null);
        case "lastseen" -> connected().settings(null, on);
        default -> throw new IllegalArgumentException("usage: " + SETTINGS_USAGE);
        }
    }

    /** The frames of read markers, receipts, typing and settings, as lines. */
    private void printReadFrame(JsonObject frame) {
        switch (frame.getString(Field.TYPE, "")) {
        case FrameType.MARKER -> out.println("* read up to " + frame.getString(Field.UP_TO) + " "
                + conversationName(frame) + " (" + frame.getInt(Field.UNREAD) + " unread)");
        case FrameType.READ -> out.println("✓✓ read by " + frame.getString(Field.BY) + " up to "
                + frame.getString(Field.UP_TO));
        case FrameType.TYPING -> out.println("* " + frame.getString(Field.FROM) + " is typing"
                + (frame.containsKey(Field.GROUP) ? " in " + frame.getString(Field.GROUP) : ""));
        case FrameType.SETTINGS -> out.println("* settings: read receipts "
                + (frame.getBoolean(Field.READ_RECEIPTS) ? "on" : "off") + ", last seen "
                + (frame.getBoolean(Field.SHOW_LAST_SEEN) ? "shown" : "hidden"));
        default -> {
        }
        }
    }

    private static String conversationName(JsonObject frame) {
        if (frame.containsKey(Field.WITH)) {
            return "with " + frame.getString(Field.WITH);
        }
        return frame.containsKey(Field.GROUP) ? "in " + frame.getString(Field.GROUP)
                : "in " + frame.getString(Field.ROOM);
    }

    private ChatClient connected() {
        if (client == null || client.closed().isDone()) {
            throw new IllegalStateException("not connected: /login NAME first");
        }
        return client;
    }

    private void printMessage(JsonObject message) {
        out.println(format(message));
    }

    private void printFrame(JsonObject frame) {
        switch (frame.getString(Field.TYPE, "")) {
        case FrameType.PRESENCE -> {
            frame.getJsonArray(Field.ONLINE).getValuesAs(JsonString.class)
                    .forEach(name -> out.println("* " + name.getString() + " is online"));
            JsonObject lastSeen = frame.getJsonObject(Field.LAST_SEEN);
            frame.getJsonArray(Field.OFFLINE).getValuesAs(JsonString.class).forEach(name -> out.println(
                    "* " + name.getString() + " went offline" + (lastSeen == null || !lastSeen.containsKey(
                            name.getString()) ? "" : " (last seen " + TIME.format(Instant.ofEpochMilli(
                            lastSeen.getJsonNumber(name.getString()).longValue())) + ")")));
        }
        case FrameType.DELIVERED -> out.println("✓✓ delivered to " + frame.getString(Field.BY));
        case FrameType.RECONNECT -> out.println("* server is restarting; moving to another one");
        case FrameType.REPLAYED -> {
            if (frame.getBoolean(Field.TRUNCATED, false)) {
                out.println("* you missed more than one replay carries; loading the older messages");
            }
        }
        case FrameType.ERROR -> {
            // a send's or request's error is printed by what waits for it
            if (!frame.containsKey(Field.CLIENT_ID) && !frame.containsKey(Field.REQUEST_ID)) {
                out.println("! " + frame.getString(Field.MESSAGE));
            }
        }
        default -> printReadFrame(frame);
        }
    }

    private String format(JsonObject message) {
        String time = TIME.format(Instant.ofEpochMilli(message.getJsonNumber(Field.TS).longValue()));
        if (message.containsKey(Field.GROUP)) {
            return "[" + time + "] " + formatGroupMessage(message);
        }
        String to = message.containsKey(Field.ROOM) ? message.getString(Field.ROOM) : message.getString(Field.TO);
        AuthSession current = session;
        if (current != null && to.equalsIgnoreCase(current.token().username())) {
            to = "you";
        }
        String text = message.getBoolean(Field.DELETED, false) ? "(message deleted)"
                : message.getString(Field.TEXT) + (message.containsKey(Field.EDITED) ? " (edited)" : "");
        return "[" + time + "] " + message.getString(Field.FROM) + " -> " + to + ": " + text;
    }

    private static String argument(String[] words, int index, String usage) {
        if (words.length <= index || words[index].isBlank()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return words[index];
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    private void groupCommand(String rest) {
        List<String> words = quotedWords(rest, 3);
        String usage = "/group create NAME [a,b] | add|remove|admin GROUP a,b | leave GROUP | info GROUP";
        if (words.isEmpty()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        ChatClient connected = connected();
        switch (words.get(0)) {
        case "create" -> {
            if (words.size() < 2) {
                throw new IllegalArgumentException("usage: /group create NAME [a,b,...]");
            }
            showGroup(connected.createGroup(words.get(1), words.size() > 2 ? names(words.get(2)) : List.of(), WAIT));
        }
        case "add", "remove", "admin" -> {
            if (words.size() < 3) {
                throw new IllegalArgumentException("usage: /group " + words.get(0) + " GROUP a,b,...");
            }
            showGroup(connected.changeGroup("group_" + words.get(0), group(words.get(1)), names(words.get(2)), WAIT));
        }
        case "leave" -> {
            String id = group(argument(words, 1, "/group leave GROUP"));
            JsonObject answer = connected.leaveGroup(id, WAIT);
            if (!failed(answer)) {
                out.println("* you left " + groupLabel(id));
                if (id.equals(targetGroup)) {
                    targetGroup = null;
                }
            }
        }
        case "info" -> showGroup(connected.groupInfo(group(argument(words, 1, "/group info GROUP")), WAIT));
        default -> throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private void listGroups() {
        JsonObject answer = connected().groups(WAIT);
        if (failed(answer)) {
            return;
        }
        var groups = answer.getJsonArray(Field.GROUPS).getValuesAs(JsonObject.class);
        if (groups.isEmpty()) {
            out.println("* no groups; /group create NAME a,b to make one");
        }
        for (JsonObject group : groups) {
            groupNames.put(group.getString(Field.GROUP), group.getString(Field.NAME));
            out.println("* #" + group.getString(Field.NAME) + " (" + group.getString(Field.GROUP) + "): "
                        + group.getInt(Field.SIZE) + " members, you are " + group.getString(Field.ROLE));
        }
    }

    private void showGroup(JsonObject info) {
        if (failed(info)) {
            return;
        }
        String id = info.getString(Field.GROUP);
        groupNames.put(id, info.getString(Field.NAME));
        List<String> members = info.getJsonArray(Field.MEMBERS).getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString(Field.MEMBER_USER) + (Groups.ADMIN.equals(m.getString(Field.ROLE)) ? " (admin)"
                        : "") + (m.containsKey(Field.LAST_SEEN) ? " (last seen " + TIME.format(Instant.ofEpochMilli(
                        m.getJsonNumber(Field.LAST_SEEN).longValue())) + ")" : "")).toList();
        out.println("* #" + info.getString(Field.NAME) + " (" + id + "): " + String.join(", ", members));
    }

    private void sendToGroup(String group, String text) {
        connected().sendToGroup(group, text).thenAccept(frame -> {
            if (FrameType.SENT.equals(frame.getString(Field.TYPE))) {
                out.println("✓ sent to " + groupLabel(group));
            } else {
                out.println("! not sent: " + frame.getString(Field.MESSAGE));
            }
        });
    }

    /** A group's id from its id or its name (among the user's groups). */
    private String group(String reference) {
        if (reference.matches(Groups.ID_PATTERN)) {
            return reference;
        }
        JsonObject answer = connected().groups(WAIT);
        if (FrameType.ERROR.equals(answer.getString(Field.TYPE))) {
            throw new IllegalStateException(answer.getString(Field.MESSAGE));
        }
        List<JsonObject> named = answer.getJsonArray(Field.GROUPS).getValuesAs(JsonObject.class).stream()
                .filter(g -> g.getString(Field.NAME).equalsIgnoreCase(reference)).toList();
        if (named.size() != 1) {
            throw new IllegalArgumentException(named.isEmpty() ? "you have no group '" + reference + "'"
                    : "several groups are called '" + reference + "': give its id (/groups)");
        }
        groupNames.put(named.getFirst().getString(Field.GROUP), named.getFirst().getString(Field.NAME));
        return named.getFirst().getString(Field.GROUP);
    }

    private String groupLabel(String id) {
        String name = groupNames.get(id);
        return name == null ? id : "#" + name;
    }

    private String formatGroupMessage(JsonObject message) {
        String id = message.getString(Field.GROUP);
        String from = message.getString(Field.FROM);
        String event = message.getString(Field.EVENT, null);
        if (event == null) {
            return from + " -> " + groupLabel(id) + ": " + message.getString(Field.TEXT);
        }
        if (message.containsKey(Field.NAME)) {
            groupNames.put(id, message.getString(Field.NAME));
        }
        String users = message.containsKey(Field.USERS) ? String.join(", ", message.getJsonArray(Field.USERS)
                .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()) : "";
        return "* " + switch (event) {
        case Groups.EVENT_CREATED -> from + " created " + groupLabel(id) + (users.isEmpty() ? "" : " with " + users);
        case Groups.EVENT_ADDED -> from + " added " + users + " to " + groupLabel(id);
        case Groups.EVENT_REMOVED -> from + " removed " + users + " from " + groupLabel(id);
        case Groups.EVENT_ADMIN -> from + " made " + users + " admin of " + groupLabel(id);
        case Groups.EVENT_LEFT -> from + " left " + groupLabel(id) + (message.containsKey(Field.ADMINS)
                ? "; " + String.join(", ", message.getJsonArray(Field.ADMINS).getValuesAs(JsonString.class).stream()
                        .map(JsonString::getString).toList()) + " became admin" : "");
        default -> from + " changed " + groupLabel(id) + " (" + event + ")";
        };
    }

    /** Whether an answer is an error frame (then printed). */
    private boolean failed(JsonObject answer) {
        if (FrameType.ERROR.equals(answer.getString(Field.TYPE))) {
            out.println("! " + answer.getString(Field.MESSAGE));
            return true;
        }
        return false;
    }

    private static List<String> names(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(n -> !n.isEmpty())
                .toList();
    }

    /**
     * Splits at white space into at most {@code limit} words, the last taking the rest of the line; a word in
     * double quotes may hold spaces.
     */
    static List<String> quotedWords(String text, int limit) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            if (words.size() == limit - 1) {
                words.add(text.substring(i).strip());
                break;
            }
            if (text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                end = end < 0 ? text.length() : end;
                words.add(text.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                words.add(text.substring(i, end));
                i = end;
            }
        }
        return words;
    }

    private static String argument(List<String> words, int index, String usage) {
        if (words.size() <= index || words.get(index).isBlank()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return words.get(index);
    }
}
