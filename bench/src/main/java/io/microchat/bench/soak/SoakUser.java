package io.microchat.bench.soak;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import jakarta.json.JsonObject;

/**
 * One simulated user with one connection that survives real ones, as the browser app does: when its connection
 * ends it reconnects within a second (to its own instance, or the next one while that is down) with
 * {@code resumeAfter}, and sends again, with the same clientId, every message not acknowledged yet.
 *
 * <p>Its view of the conversation is the set of soak messages it was shown: a message shown under two ids (stored
 * twice) is a duplicate; the same id twice is the replay overlap, which a client drops, and not counted.
 */
final class SoakUser {

    private static final Duration WELCOME = Duration.ofSeconds(15);
    private final int index;
    private final List<URI> instances;
    private final AuthClient auth;
    private final Ledger ledger;
    private final String password;
    private volatile AuthClient.Token token;
    private final MessageLog log = MessageLog.idsOnly();
    private final Map<Integer, String> shown = new ConcurrentHashMap<>();
    private final Map<Integer, String> pending = new ConcurrentHashMap<>();
    private final Set<Integer> duplicates = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reconnects = new AtomicInteger();
    private volatile ChatClient current;
    private volatile int currentInstance = -1;
    private volatile boolean running = true;
    private Thread loop;

    SoakUser(int index, AuthClient.Token token, String password, List<URI> instances, AuthClient auth,
             Ledger ledger) {
        this.index = index;
        this.token = token;
        this.password = password;
        this.instances = instances;
        this.auth = auth;
        this.ledger = ledger;
    }

    String username() {
        return token.username();
    }

    AuthClient.Token token() {
        return token;
    }

    void start() {
        loop = Thread.ofVirtual().name("soak-user-" + index).start(this::connectionLoop);
    }

    /**
     * Sends a soak message now if connected; it stays pending (and goes again after a reconnect) until acknowledged.
     *
     * @param seq       its number
     * @param recipient the recipient's username
     */
    void send(int seq, String recipient) {
        String clientId = UUID.randomUUID().toString();
        pending.put(seq, clientId);
        transmit(seq, clientId, recipient);
    }

    private void transmit(int seq, String clientId, String recipient) {
        ChatClient client = current;
        int instance = currentInstance;
        if (client == null || client.closed().isDone()) {
            return; // goes after the next welcome
        }
        client.send(clientId, "to", recipient, Ledger.text(seq)).whenComplete((answer, failure) -> {
            if (failure != null) {
                return; // the connection ended: sent again after the reconnect
            }
            if ("sent".equals(answer.getString("type"))) {
                ledger.acknowledged(seq, answer.getString("id"), instance, System.currentTimeMillis());
                pending.remove(seq);
            } else {
                // store_unavailable, draining, rate_limited, ...: not stored; again in a moment, same clientId
                Thread.ofVirtual().start(() -> {
                    sleep(500 + ThreadLocalRandom.current().nextInt(1_000));
                    if (pending.containsKey(seq) && current == client) {
                        transmit(seq, clientId, recipient);
                    }
                });
            }
        });
    }

    private void connectionLoop() {
        int attempt = 0;
        while (running) {
            int instance = (index + attempt) % instances.size();
            ChatClient client = null;
            try {
                client = ChatClient.connect(instances.get(instance), token.username(), token.value(), log,
                                            new ChatClient.Options(null, true, false, this::shown, null));
                client.awaitWelcome(WELCOME);
                current = client;
                currentInstance = instance;
                pending.forEach((seq, clientId) -> transmit(seq, clientId, ledger.recipient(seq)));
                ChatClient.Closed closed = client.closed().join();
                if (closed.code() == 4410 || closed.code() == 4401) {
                    token = auth.login(token.username(), password);
                }
                attempt = 0;
            } catch (RuntimeException e) {
                attempt++;
                if (client != null) {
                    client.abort();
                }
            }
            if (running) {
                reconnects.incrementAndGet();
                sleep(ThreadLocalRandom.current().nextInt(1_000)); // every client of a killed instance within a second
            }
        }
    }

    private void shown(JsonObject message) {
        int seq = Ledger.seqOf(message.getString("text", ""));
        if (seq < 0) {
            return;
        }
        String id = message.getString("id");
        String before = shown.putIfAbsent(seq, id);
        if (before != null && !before.equals(id)) {
            duplicates.add(seq);
        }
    }

    boolean isConnected() {
        ChatClient client = current;
        return client != null && !client.closed().isDone();
    }

    boolean hasShown(int seq) {
        return shown.containsKey(seq);
    }

    int duplicates() {
        return duplicates.size();
    }

    int pendingCount() {
        return pending.size();
    }

    int reconnects() {
        return reconnects.get();
    }

    /**
     * Who this user's connection shows online.
     *
     * @return the usernames, or an empty set while not connected
     */
    Set<String> online() {
        ChatClient client = current;
        return client == null ? Set.of() : client.online();
    }

    /** Drops the connection without a close handshake; the loop reconnects (a final catch-up). */
    void reconnectNow() {
        ChatClient client = current;
        if (client != null) {
            client.abort();
        }
    }

    /** Ends the loop and closes the connection. */
    void stop() {
        running = false;
        ChatClient client = current;
        if (client != null) {
            client.close();
        }
        if (loop != null) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
