package io.microchat.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.microchat.protocol.CloseCode;
import io.microchat.protocol.ErrorCode;
import io.microchat.protocol.Field;
import io.microchat.protocol.FrameType;
import io.microchat.protocol.Rooms;

/**
 * One WebSocket connection to a chat instance, speaking the protocol of docs/protocol.md: authenticates with the
 * first frame (never in the URL), resumes after the last message of its {@link MessageLog}, confirms private
 * messages addressed to it, keeps the set of online users, and matches acknowledgements to sends. When a replay
 * says it was truncated, it pages back through the older missed messages by itself ({@link #caughtUp()}).
 */
public final class ChatClient implements AutoCloseable {

    /** The most ids one {@code received} frame may carry (docs/protocol.md). */
    public static final int MAX_IDS_PER_RECEIPT = 100;
    /** Messages per page when paging in what a truncated replay left out (the most a page may hold). */
    private static final int GAP_PAGE = 100;
    /**
     * One selector thread for every connection of this JVM (the JDK client multiplexes WebSockets), which also
     * runs the listeners: they never block (sends are chained, waiting happens in callers' threads), so handing
     * each frame to a worker thread would only add a context switch per frame.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Runnable::run).build();

    private final String username;
    private final MessageLog log;
    private final Options options;
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<JsonObject>> pendingSends = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> unacknowledged = new ConcurrentHashMap<>();
    /** The frames of sends not answered yet, to send again (same clientId) when the server says overloaded. */
    private final Map<String, String> sendFrames = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonObject>> pendingRequests = new ConcurrentHashMap<>();
    private final Set<String> online = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
    private final CompletableFuture<JsonObject> replayed = new CompletableFuture<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final CompletableFuture<Integer> caughtUp = new CompletableFuture<>();
    private final Object sendLock = new Object();
    /** Sends in order without blocking: the JDK allows one outstanding send per WebSocket. */
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    /** Message ids waiting to be confirmed; guarded by {@code sendLock}. */
    private final List<String> unconfirmed = new ArrayList<>();
    private volatile WebSocket socket;
    private volatile String resumedAfter;
    private final AtomicLong overloadedRetries = new AtomicLong();
    private volatile ReadEvents readEvents = new ReadEvents() {
    };

    private ChatClient(String username, MessageLog log, Options options) {
        this.username = username;
        this.log = log;
        this.options = options;
    }

    /**
     * Opens a connection and authenticates.
     *
     * @param uri      the WebSocket URL, e.g. {@code ws://127.0.0.1:8082/ws}
     * @param username whose token it is (to recognise messages addressed to this user)
     * @param token    the access token
     * @param log      the session's messages; the connection resumes after its last one
     * @param options  options
     * @return the client; see {@link #awaitWelcome} for the outcome of authentication
     */
    public static ChatClient connect(URI uri, String username, String token, MessageLog log, Options options) {
        ChatClient client = new ChatClient(username, log, options);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (options.origin() != null) {
            builder.header("Origin", options.origin());
        }
        client.socket = builder.buildAsync(uri, client.new Receiver()).join();
        var auth = Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.AUTH)
                .add(Field.TOKEN, token);
        if (log.resumeAfter() != null) {
            auth.add(Field.RESUME_AFTER, log.resumeAfter());
        }
        client.resumedAfter = log.resumeAfter();
        client.sendRaw(auth.build().toString());
        return client;
    }

    /**
     * Opens a connection with default options.
     *
     * @param uri      the WebSocket URL
     * @param username whose token it is
     * @param token    the access token
     * @param log      the session's messages
     * @return the client
     */
    public static ChatClient connect(URI uri, String username, String token, MessageLog log) {
        return connect(uri, username, token, log, Options.DEFAULT);
    }

    /**
     * Waits for the server's {@code welcome}.
     *
     * @param timeout the longest wait
     * @return the welcome frame
     * @throws IllegalStateException when the connection closed instead, or nothing came in time
     */
    public JsonObject awaitWelcome(Duration timeout) {
        return await(welcome, timeout, FrameType.WELCOME);
    }

    /**
     * Waits for the end of the replay that follows the welcome.
     *
     * @param timeout the longest wait
     * @return the {@code replayed} frame
     */
    public JsonObject awaitReplayed(Duration timeout) {
        return await(replayed, timeout, FrameType.REPLAYED);
    }

    /**
     * Completes once this connection holds everything it missed: at the end of the replay, or when the replay
     * was truncated, once the older missed messages were paged in.
     *
     * @return completes with the number of messages paged in after the replay (0 when it was complete)
     */
    public CompletableFuture<Integer> caughtUp() {
        return caughtUp;
    }

    /**
     * Sends a private message.
     *
     * @param to   the recipient's username
     * @param text the text
     * @return completes with the {@code sent} acknowledgement, or the {@code error} frame for this send
     */
    public CompletableFuture<JsonObject> sendPrivate(String to, String text) {
        return send(UUID.randomUUID().toString(), Field.TO, to, text);
    }

    /**
     * Sends a message to everyone.
     *
     * @param text the text
     * @return completes with the {@code sent} acknowledgement, or the {@code error} frame for this send
     */
    public CompletableFuture<JsonObject> sendBroadcast(String text) {
        return send(UUID.randomUUID().toString(), Field.ROOM, Rooms.ALL, text);
    }

    /**
     * Sends a message with a given client id (a retry uses the id of the first attempt).
     *
     * @param clientId the client's id for this send
     * @param field    {@code to}, {@code group} or {@code room}
     * @param target   the username, group id or room
     * @param text     the text
     * @return completes with the {@code sent} acknowledgement, or the {@code error} frame for this send (an
     *         {@code overloaded} answer is not an outcome: the send is repeated after the server's hint)
     */
    public CompletableFuture<JsonObject> send(String clientId, String field, String target, String text) {
        CompletableFuture<JsonObject> outcome = new CompletableFuture<>();
        pendingSends.put(clientId, outcome);
        unacknowledged.put(clientId, Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.MESSAGE)
                .add(Field.FROM, username)
                .add(field.equals(Field.ROOM) || field.equals(Field.GROUP) ? field : Field.TO, target)
                .add(Field.TEXT, text).build());
        String frame = Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.SEND)
                .add(Field.CLIENT_ID, clientId).add(field, target).add(Field.TEXT, text).build().toString();
        sendFrames.put(clientId, frame);
        transmit(clientId, frame, outcome);
        return outcome;
    }

    private void transmit(String clientId, String frame, CompletableFuture<JsonObject> outcome) {
        sendAsync(frame).whenComplete((sent, failure) -> {
            if (failure != null) {
                pendingSends.remove(clientId);
                unacknowledged.remove(clientId);
                sendFrames.remove(clientId);
                outcome.completeExceptionally(failure);
            }
        });
    }

    /**
     * The server was overloaded and did not store a send: the same frame (same clientId) goes again after the
     * server's hint, plus up to half of it at random so that the refused senders do not all come back at once.
     * The outcome stays pending until the server stores it or the connection closes.
     */
    private void retryLater(String clientId, JsonObject error) {
        String frame = sendFrames.get(clientId);
        CompletableFuture<JsonObject> outcome = pendingSends.get(clientId);
        if (frame == null || outcome == null) {
            return;
        }
        long hint = Math.max(1, error.getJsonNumber(Field.RETRY_AFTER_MS) == null ? 1_000
                : error.getJsonNumber(Field.RETRY_AFTER_MS).longValue());
        long wait = hint + ThreadLocalRandom.current().nextLong(hint / 2 + 1);
        overloadedRetries.incrementAndGet();
        CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed.isDone() && pendingSends.get(clientId) == outcome) {
                transmit(clientId, frame, outcome);
            }
        });
    }

    /**
     * How many sends this connection repeated because the server answered {@code overloaded}.
     *
     * @return the count
     */
    public long overloadedRetries() {
        return overloadedRetries.get();
    }

    // ---- edits and deletes (issue 18) ----------------------------------------------------------------------

    /**
     * Edits one of this user's messages (within the server's edit window).
     *
     * @param id   the message id
     * @param text the new text
     * @return completes with the {@code edited} answer, or the {@code error} frame for this edit
     */
    public CompletableFuture<JsonObject> edit(String id, String text) {
        String clientId = "e-" + UUID.randomUUID();
        return change(clientId, Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.EDIT)
                .add(Field.CLIENT_ID, clientId).add(Field.ID, id).add(Field.TEXT, text).build().toString());
    }

    /**
     * Deletes one of this user's messages: the server removes its text.
     *
     * @param id the message id
     * @return completes with the {@code deleted} answer, or the {@code error} frame for this delete
     */
    public CompletableFuture<JsonObject> delete(String id) {
        String clientId = "d-" + UUID.randomUUID();
        return change(clientId, Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.DELETE)
                .add(Field.CLIENT_ID, clientId).add(Field.ID, id).build().toString());
    }

    private CompletableFuture<JsonObject> change(String clientId, String frame) {
        CompletableFuture<JsonObject> outcome = new CompletableFuture<>();
        pendingSends.put(clientId, outcome);
        sendAsync(frame).whenComplete((sent, failure) -> {
            if (failure != null && pendingSends.remove(clientId) != null) {
                outcome.completeExceptionally(failure);
            }
        });
        return outcome;
    }

    /** An {@code edited} or {@code deleted} frame: applied to the log, its answer completed, the callback called. */
    private void changed(JsonObject frame) {
        boolean applied = log.apply(frame);
        if (frame.get(Field.CLIENT_ID) instanceof JsonString id) {
            complete(id.getString(), frame);
        }
        if (applied && options.onChange() != null) {
            options.onChange().accept(frame);
        }
    }

    /**
     * Hands the server a fresh access token of the same user ({@code reauth}), so that the connection outlives the
     * token it authenticated with; the server answers {@code reauthenticated}.
     *
     * @param token the new access token
     * @return completes when the frame was written
     */
    public CompletableFuture<?> reauthenticate(String token) {
        return sendAsync(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.REAUTH)
                                 .add(Field.TOKEN, token).build().toString());
    }

    /**
     * Asks for a page of history.
     *
     * @param field     {@code with}, {@code group} or {@code room}
     * @param target    the username, group id or room
     * @param before    a message id cursor, or null for the newest
     * @param limit     page size
     * @param timeout   the longest wait
     * @return the {@code history} frame
     */
    public JsonObject history(String field, String target, String before, int limit, Duration timeout) {
        var frame = Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.HISTORY).add(field, target)
                .add(Field.LIMIT, limit);
        if (before != null) {
            frame.add(Field.BEFORE, before);
        }
        return request(frame, timeout);
    }

    // ---- groups (docs/protocol.md, "Groups") ----------------------------------------------------------------
    // Each request waits for its answer: group_info, group_left or groups, or the error frame for it. Membership
    // changes arrive as messages with an "event" (in the log, like any message of the group).

    /**
     * Sends a message to a group the user is a member of.
     *
     * @param group the group id
     * @param text  the text
     * @return completes with the {@code sent} acknowledgement, or the {@code error} frame for this send
     */
    public CompletableFuture<JsonObject> sendToGroup(String group, String text) {
        return send(UUID.randomUUID().toString(), Field.GROUP, group, text);
    }

    /**
     * Creates a group ({@code group_create}); the user is its first admin.
     *
     * @param name    the name
     * @param members usernames besides the user (may be empty)
     * @param timeout the longest wait
     * @return the {@code group_info} answer, or the {@code error} frame
     */
    public JsonObject createGroup(String name, Collection<String> members, Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.GROUP_CREATE)
                               .add(Field.NAME, name).add(Field.MEMBERS, strings(members)), timeout);
    }

    /**
     * An admin's change of a group naming users: {@code group_add}, {@code group_remove} or {@code group_admin}.
     *
     * @param type    {@link FrameType#GROUP_ADD}, {@link FrameType#GROUP_REMOVE} or {@link FrameType#GROUP_ADMIN}
     * @param group   the group id
     * @param users   the usernames
     * @param timeout the longest wait
     * @return the {@code group_info} answer (the group after the change), or the {@code error} frame
     */
    public JsonObject changeGroup(String type, String group, Collection<String> users, Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, type).add(Field.GROUP, group)
                               .add(Field.USERS, strings(users)), timeout);
    }

    /**
     * Leaves a group.
     *
     * @param group   the group id
     * @param timeout the longest wait
     * @return the {@code group_left} answer, or the {@code error} frame
     */
    public JsonObject leaveGroup(String group, Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.GROUP_LEAVE)
                               .add(Field.GROUP, group), timeout);
    }

    /**
     * A group the user is a member of, with its members.
     *
     * @param group   the group id
     * @param timeout the longest wait
     * @return the {@code group_info} answer, or the {@code error} frame
     */
    public JsonObject groupInfo(String group, Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.GROUP_INFO)
                               .add(Field.GROUP, group), timeout);
    }

    /**
     * The user's groups, by name.
     *
     * @param timeout the longest wait
     * @return the {@code groups} answer
     */
    public JsonObject groups(Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.GROUPS), timeout);
    }

    private static jakarta.json.JsonArrayBuilder strings(Collection<String> values) {
        jakarta.json.JsonArrayBuilder array = Json.PROVIDER.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    /** Sends a request with a new {@code requestId} and waits for the answer that carries it. */
    private JsonObject request(jakarta.json.JsonObjectBuilder frame, Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pendingRequests.put(requestId, answer);
        try {
            sendRaw(frame.add(Field.REQUEST_ID, requestId).build().toString());
            return await(answer, timeout, "an answer to " + requestId);
        } finally {
            pendingRequests.remove(requestId);
        }
    }

    /**
     * Sends a raw text frame, as is.
     *
     * @param text the frame
     */
    public void sendRaw(String text) {
        sendAsync(text).join();
    }

    /**
     * Sends a raw text frame after every frame sent before it, without waiting.
     *
     * @param text the frame
     * @return completes when the frame was written
     */
    public CompletableFuture<?> sendAsync(String text) {
        synchronized (sendLock) {
            sendChain = sendChain.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> socket.sendText(text, true));
            return sendChain;
        }
    }

    /**
     * Waits for a frame matching a predicate (frames are kept from the start of the connection).
     *
     * @param match   what to wait for
     * @param timeout the longest wait
     * @return the first matching frame, which is consumed
     */
    public JsonObject awaitFrame(Predicate<JsonObject> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonObject> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new IllegalStateException("no matching frame within " + timeout + "; skipped " + skipped);
                }
                if (match.test(frame)) {
                    return frame;
                }
                skipped.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            // put back what was not asked for, in order, ahead of anything newer
            List<JsonObject> rest = new ArrayList<>(skipped);
            frames.drainTo(rest);
            frames.addAll(rest);
        }
    }

    /**
     * Waits for an error frame with a code.
     *
     * @param code    the error code
     * @param timeout the longest wait
     * @return the frame
     */
    public JsonObject awaitError(String code, Duration timeout) {
        return awaitFrame(f -> FrameType.ERROR.equals(f.getString(Field.TYPE, ""))
                && code.equals(f.getString(Field.CODE, "")), timeout);
    }

    /**
     * The users online as this connection knows it.
     *
     * @return a copy of the set
     */
    public Set<String> online() {
        return Set.copyOf(online);
    }

    /**
     * This session's messages.
     *
     * @return the log
     */
    public MessageLog log() {
        return log;
    }

    /**
     * Completes when the connection closes, with the close code.
     *
     * @return the close outcome
     */
    public CompletableFuture<Closed> closed() {
        return closed;
    }

    /**
     * Cuts the connection without a close handshake, as a network failure would.
     */
    public void abort() {
        socket.abort();
        closed.complete(new Closed(CloseCode.ABNORMAL, "aborted"));
    }

    @Override
    public void close() {
        try {
            CompletableFuture<?> closing;
            synchronized (sendLock) {
                closing = sendChain.handle((ignored, failure) -> null)
                        .thenCompose(ignored -> socket.sendClose(CloseCode.NORMAL, "bye"));
                sendChain = closing;
            }
            closing.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    // ---- issue 18: read markers and receipts, typing, settings, last seen ----------------------------------

    /**
     * Reports that the user has read a conversation up to a message ({@code read}); the server answers every
     * device of the user with {@code marker} ({@link ReadEvents#marker}), or with an error frame.
     *
     * @param field  {@code with}, {@code group} or {@code room}
     * @param target the username, group id or room
     * @param upTo   the newest message id shown
     * @return completes when the frame was written
     */
    public CompletableFuture<?> read(String field, String target, String upTo) {
        return sendAsync(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.READ).add(field, target)
                                 .add(Field.UP_TO, upTo).build().toString());
    }

    /**
     * Tells the other participants that the user types ({@code typing}); send it at most every 3 seconds while the
     * user types (the server drops more).
     *
     * @param field  {@code with} or {@code group}
     * @param target the username or group id
     * @return completes when the frame was written
     */
    public CompletableFuture<?> typing(String field, String target) {
        return sendAsync(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.TYPING).add(field, target)
                                 .build().toString());
    }

    /**
     * Changes the user's settings ({@code settings}); every device of the user gets them as they now are
     * ({@link ReadEvents#settings}).
     *
     * @param readReceipts whether to send and see read receipts, or null to leave it
     * @param showLastSeen whether others see when the user was last online, or null to leave it
     * @return completes when the frame was written
     */
    public CompletableFuture<?> settings(Boolean readReceipts, Boolean showLastSeen) {
        var frame = Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.SETTINGS);
        if (readReceipts != null) {
            frame.add(Field.READ_RECEIPTS, readReceipts);
        }
        if (showLastSeen != null) {
            frame.add(Field.SHOW_LAST_SEEN, showLastSeen);
        }
        return sendAsync(frame.build().toString());
    }

    /**
     * The user's conversations with their newest message, unread count and markers ({@code conversations}).
     *
     * @param timeout the longest wait
     * @return the {@code conversations} frame (or the error frame that answers it)
     */
    public JsonObject conversations(Duration timeout) {
        return request(Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.CONVERSATIONS), timeout);
    }

    /**
     * Where the frames of read markers, read receipts, typing, settings and last seen go (called on the
     * connection's listener thread: do not block).
     *
     * @param listener the listener
     */
    public void onReadEvents(ReadEvents listener) {
        this.readEvents = listener;
    }

    private void readEvent(String type, JsonObject frame) {
        ReadEvents listener = readEvents;
        switch (type) {
        case FrameType.MARKER -> listener.marker(frame);
        case FrameType.READ -> listener.readReceipt(frame.getString(Field.BY), frame);
        case FrameType.TYPING -> listener.typing(frame.getString(Field.FROM), frame);
        case FrameType.SETTINGS -> listener.settings(frame.getBoolean(Field.READ_RECEIPTS, true),
                                                     frame.getBoolean(Field.SHOW_LAST_SEEN, true));
        case FrameType.PRESENCE -> {
            JsonObject seen = frame.getJsonObject(Field.LAST_SEEN);
            if (seen != null) {
                seen.forEach((user, at) -> listener.lastSeen(user, ((JsonNumber) at).longValue()));
            }
        }
        default -> {
        }
        }
    }

    /**
     * Callbacks for the frames of read markers, read receipts, typing, settings and last seen
     * (docs/protocol.md, "Read markers" to "Last seen"); each does nothing unless overridden.
     */
    public interface ReadEvents {

        /**
         * The user's own marker moved (read on this device or another): {@code with}/{@code group}/{@code room},
         * {@code upTo}, {@code unread}.
         *
         * @param frame the {@code marker} frame
         */
        default void marker(JsonObject frame) {
        }

        /**
         * Another participant read a conversation up to {@code upTo}.
         *
         * @param by    the reader
         * @param frame the {@code read} frame
         */
        default void readReceipt(String by, JsonObject frame) {
        }

        /**
         * Another participant types (show it for 6 seconds, or until their next message there).
         *
         * @param from  the typer
         * @param frame the {@code typing} frame ({@code with} or {@code group})
         */
        default void typing(String from, JsonObject frame) {
        }

        /**
         * The user's settings as they now are.
         *
         * @param readReceipts whether read receipts are on
         * @param showLastSeen whether last seen is shown
         */
        default void settings(boolean readReceipts, boolean showLastSeen) {
        }

        /**
         * A user went offline, last online at this time.
         *
         * @param user the user
         * @param at   epoch milliseconds
         */
        default void lastSeen(String user, long at) {
        }
    }

    private void handle(JsonObject frame) {
        String type = frame.getString(Field.TYPE, "");
        switch (type) {
        case FrameType.WELCOME -> {
            frame.getJsonArray(Field.ONLINE).forEach(v -> online.add(((JsonString) v).getString()));
            welcome.complete(frame);
        }
        case FrameType.PRESENCE -> {
            frame.getJsonArray(Field.ONLINE).forEach(v -> online.add(((JsonString) v).getString()));
            frame.getJsonArray(Field.OFFLINE).forEach(v -> online.remove(((JsonString) v).getString()));
        }
        case FrameType.REPLAYED -> {
            replayed.complete(frame);
            if (frame.getBoolean(Field.TRUNCATED, false)) {
                // paging waits for answers: never in the listener, which reads every socket of this JVM
                int ticket = log.openGap(resumedAfter);
                Thread.startVirtualThread(() -> fillGap(frame.getString(Field.BEFORE),
                                                        frame.getString(Field.AFTER, null), ticket));
            } else {
                caughtUp.complete(0);
            }
        }
        case FrameType.SENT -> {
            // one's own message is part of the conversation: held, so a replay does not bring it back
            sendFrames.remove(frame.getString(Field.CLIENT_ID));
            JsonObject sent = unacknowledged.remove(frame.getString(Field.CLIENT_ID));
            if (sent != null) {
                log.add(Json.PROVIDER.createObjectBuilder(sent).add(Field.ID, frame.getString(Field.ID))
                                .add(Field.TS, frame.getJsonNumber(Field.TS).longValue()).build());
            }
            complete(frame.getString(Field.CLIENT_ID), frame);
        }
        case FrameType.ERROR -> {
            JsonValue clientId = frame.get(Field.CLIENT_ID);
            if (clientId instanceof JsonString id && ErrorCode.OVERLOADED.equals(frame.getString(Field.CODE, ""))) {
                retryLater(id.getString(), frame);
            } else if (clientId instanceof JsonString id) {
                unacknowledged.remove(id.getString());
                sendFrames.remove(id.getString());
                complete(id.getString(), frame);
            }
        }
        case FrameType.MESSAGE -> received(frame);
        case FrameType.EDITED, FrameType.DELETED -> changed(frame);
        default -> {
        }
        }
        readEvent(type, frame);
        JsonValue requestId = frame.get(Field.REQUEST_ID);
        if (requestId instanceof JsonString id) {
            CompletableFuture<JsonObject> request = pendingRequests.remove(id.getString());
            if (request != null) {
                request.complete(frame);
            }
        }
        if (options.recordFrames()) {
            frames.add(frame);
        }
        if (options.onFrame() != null) {
            options.onFrame().accept(frame);
        }
    }

    private void received(JsonObject message) {
        boolean isNew = log.add(message);
        if (options.confirmReceipt() && username.equalsIgnoreCase(message.getString(Field.TO, ""))
                && !username.equalsIgnoreCase(message.getString(Field.FROM, ""))) {
            confirm(message.getString(Field.ID));
        }
        if (isNew && options.onMessage() != null) {
            options.onMessage().accept(message);
        }
    }

    /**
     * Pages back through what a truncated replay left out ({@code history} with {@code missed}), newest first,
     * until the server says there is no more; the log keeps its resume point before the gap until then, so a
     * connection lost meanwhile resumes early enough to get the rest.
     */
    private void fillGap(String before, String after, int ticket) {
        int paged = 0;
        String cursor = before;
        try {
            while (cursor != null && !closed.isDone()) {
                var frame = Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.HISTORY)
                        .add(Field.MISSED, true).add(Field.BEFORE, cursor).add(Field.LIMIT, GAP_PAGE);
                if (after != null) {
                    frame.add(Field.AFTER, after);
                }
                JsonObject page = request(frame, Duration.ofSeconds(30));
                if (FrameType.ERROR.equals(page.getString(Field.TYPE, ""))) {
                    throw new IllegalStateException(page.getString(Field.MESSAGE, "error"));
                }
                for (JsonObject message : page.getJsonArray(Field.MESSAGES).getValuesAs(JsonObject.class)) {
                    received(message);
                    paged++;
                }
                cursor = page.isNull(Field.NEXT) ? null : page.getString(Field.NEXT);
            }
            if (cursor == null) {
                log.closeGap(ticket);
                caughtUp.complete(paged);
            } else {
                caughtUp.completeExceptionally(new IllegalStateException("closed while paging in missed messages"));
            }
        } catch (RuntimeException e) {
            // the connection broke: the next one resumes before the gap
            caughtUp.completeExceptionally(e);
        }
    }

    /**
     * Confirms a message. Confirmations coalesce: the ids that arrive while the frames before them are being
     * written go out together, up to {@link #MAX_IDS_PER_RECEIPT} a frame, so a busy connection sends one
     * {@code received} frame per burst instead of one per message, and an idle one sends at once.
     */
    private void confirm(String messageId) {
        if (closed.isDone()) {
            return;
        }
        // never wait inside the listener; a confirmation lost to a closing socket is replayed next time
        synchronized (sendLock) {
            boolean flushQueued = !unconfirmed.isEmpty();
            unconfirmed.add(messageId);
            if (!flushQueued) {
                sendChain = sendChain.handle((ignored, failure) -> null).thenCompose(ignored -> sendConfirmations());
            }
        }
    }

    private CompletableFuture<?> sendConfirmations() {
        List<String> ids;
        synchronized (sendLock) {
            ids = List.copyOf(unconfirmed);
            unconfirmed.clear();
        }
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_RECEIPT) {
            String frame = receivedFrame(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_RECEIPT)));
            chain = chain.thenCompose(ignored -> socket.sendText(frame, true));
        }
        return chain;
    }

    private static String receivedFrame(List<String> ids) {
        var array = Json.PROVIDER.createArrayBuilder();
        ids.forEach(array::add);
        return Json.PROVIDER.createObjectBuilder().add(Field.TYPE, FrameType.RECEIVED).add(Field.IDS, array).build()
                .toString();
    }

    private void complete(String clientId, JsonObject frame) {
        CompletableFuture<JsonObject> pending = pendingSends.remove(clientId);
        if (pending != null) {
            pending.complete(frame);
        }
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return CompletableFuture.anyOf(future, closed).thenApply(v -> {
                if (future.isDone()) {
                    return future.join();
                }
                throw new IllegalStateException("closed before " + what + ": " + closed.join());
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + timeout);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof IllegalStateException ise ? ise : new IllegalStateException(cause);
        }
    }

    /**
     * How the connection ended.
     *
     * @param code   the close code
     * @param reason the reason
     */
    public record Closed(int code, String reason) {
    }

    /**
     * Connection options.
     *
     * @param origin         the {@code Origin} header to send, or null (not a browser)
     * @param confirmReceipt whether to confirm private messages addressed to this user, as a real client does
     * @param recordFrames   whether to keep every frame for {@link #awaitFrame} (tests); off for long runs
     * @param onMessage      called with each new message, or null
     * @param onFrame        called with every frame, or null
     * @param onChange       called with each {@code edited} or {@code deleted} frame that changed a message the log
     *                       holds (after the log applied it), or null
     */
    public record Options(String origin, boolean confirmReceipt, boolean recordFrames,
                          Consumer<JsonObject> onMessage, Consumer<JsonObject> onFrame,
                          Consumer<JsonObject> onChange) {

        /** Not a browser, confirms receipts, records frames. */
        public static final Options DEFAULT = new Options(null, true, true, null, null, null);

        /**
         * Options without a callback for edits and deletes.
         *
         * @param origin         the {@code Origin} header to send, or null
         * @param confirmReceipt whether to confirm private messages addressed to this user
         * @param recordFrames   whether to keep every frame for {@link #awaitFrame}
         * @param onMessage      called with each new message, or null
         * @param onFrame        called with every frame, or null
         */
        public Options(String origin, boolean confirmReceipt, boolean recordFrames, Consumer<JsonObject> onMessage,
                       Consumer<JsonObject> onFrame) {
            this(origin, confirmReceipt, recordFrames, onMessage, onFrame, null);
        }

        /**
         * These options with another origin.
         *
         * @param value the origin
         * @return new options
         */
        public Options withOrigin(String value) {
            return new Options(value, confirmReceipt, recordFrames, onMessage, onFrame, onChange);
        }

        /**
         * These options with receipts confirmed or not.
         *
         * @param value whether to confirm
         * @return new options
         */
        public Options withConfirmReceipt(boolean value) {
            return new Options(origin, value, recordFrames, onMessage, onFrame, onChange);
        }

        /**
         * These options with a callback for every frame.
         *
         * @param value the callback, or null
         * @return new options
         */
        public Options withOnFrame(Consumer<JsonObject> value) {
            return new Options(origin, confirmReceipt, recordFrames, onMessage, value, onChange);
        }

        /**
         * These options with a callback for edits and deletes of held messages.
         *
         * @param value the callback, or null
         * @return new options
         */
        public Options withOnChange(Consumer<JsonObject> value) {
            return new Options(origin, confirmReceipt, recordFrames, onMessage, onFrame, value);
        }
    }

    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(Json.parse(text));
                } catch (RuntimeException e) {
                    System.err.println("unreadable frame: " + text + ": " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            pendingSends.values().forEach(p -> p.completeExceptionally(new IllegalStateException("connection closed")));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(CloseCode.ABNORMAL, String.valueOf(error)));
            pendingSends.values().forEach(p -> p.completeExceptionally(error));
        }
    }
}
