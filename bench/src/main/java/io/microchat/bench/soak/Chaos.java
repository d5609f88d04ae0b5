package io.microchat.bench.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.microchat.client.AuthClient;
import io.microchat.devstack.LocalStack;
import io.microchat.devstack.RawWebSocket;

/**
 * The chaos loop: one action every {@code chaosEverySeconds}, in a fixed cycle, each on a random instance.
 * Every kill is followed by a restart on the same port; the killed instance's clients reconnect within a second
 * (a reconnect storm on the others).
 */
final class Chaos {

    /** What the loop does, in order, again and again. */
    enum Action {
        KILL_9, SIGTERM, KILL_9_AGAIN, RESTART_REDIS, KILL_9_THIRD, PAUSE_STORE, KILL_9_FOURTH, SLOW_READERS,
        SIGTERM_AGAIN;

        boolean isKill() {
            return this == KILL_9 || this == KILL_9_AGAIN || this == KILL_9_THIRD || this == KILL_9_FOURTH
                   || this == SIGTERM || this == SIGTERM_AGAIN;
        }

        boolean isKill9() {
            return isKill() && this != SIGTERM && this != SIGTERM_AGAIN;
        }
    }

    /**
     * An action done.
     *
     * @param action   what
     * @param instance on which instance (0-based), or -1
     * @param at       when it started, epoch milliseconds
     */
    record Event(Action action, int instance, long at) {
    }

    private final LocalStack stack;
    private final SoakSettings settings;
    private final AuthClient.Token hog;
    private final String hogPeer;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger slowOpened = new AtomicInteger();
    private final AtomicInteger slowClosedByServer = new AtomicInteger();
    private final List<Thread> slowThreads = new ArrayList<>();

    Chaos(LocalStack stack, SoakSettings settings, AuthClient.Token hog, String hogPeer) {
        this.stack = stack;
        this.settings = settings;
        this.hog = hog;
        this.hogPeer = hogPeer;
    }

    /**
     * Runs actions until the deadline.
     *
     * @param until epoch milliseconds
     */
    void run(long until) {
        Action[] cycle = Action.values();
        int chats = stack.settings().chatPorts().size();
        for (int i = 0; System.currentTimeMillis() < until; i++) {
            long started = System.currentTimeMillis();
            Action action = cycle[i % cycle.length];
            int instance = ThreadLocalRandom.current().nextInt(chats);
            events.add(new Event(action, instance, started));
            System.out.printf("chaos %3ds: %s%s%n", (started - (until - settings.durationSeconds() * 1000L)) / 1000,
                              action, action == Action.RESTART_REDIS || action == Action.PAUSE_STORE ? ""
                                      : " chat-" + (instance + 1));
            try {
                act(action, instance);
            } catch (RuntimeException | InterruptedException e) {
                System.out.println("chaos: " + action + " failed: " + e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            long next = started + settings.chaosEverySeconds() * 1000L;
            sleep(Math.min(next, until) - System.currentTimeMillis());
        }
        for (Thread thread : slowThreads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void act(Action action, int instance) throws InterruptedException {
        switch (action) {
        case KILL_9, KILL_9_AGAIN, KILL_9_THIRD, KILL_9_FOURTH -> stack.replaceChat(instance, true, () -> { });
        case SIGTERM, SIGTERM_AGAIN -> stack.replaceChat(instance, false, () -> { });
        case RESTART_REDIS -> stack.restartRedis(Duration.ofSeconds(3));
        case PAUSE_STORE -> pauseStore(Duration.ofSeconds(5));
        case SLOW_READERS -> slowReaders(instance);
        default -> throw new IllegalStateException(action.name());
        }
    }

    private void pauseStore(Duration pause) throws InterruptedException {
        long pid = stack.storeProcess().pid();
        signal("STOP", pid);
        try {
            Thread.sleep(pause.toMillis());
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String name, long pid) {
        try {
            int status = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " exited with " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + name + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Clients that ask for many large history pages and read nothing; the instance must close them (4429, or cut
     * when even the close frame cannot be written) rather than hold what they asked for.
     */
    private void slowReaders(int instance) {
        int port = stack.settings().chatPorts().get(instance);
        for (int r = 0; r < settings.slowReaders(); r++) {
            slowThreads.add(Thread.ofVirtual().start(() -> {
                try (RawWebSocket raw = RawWebSocket.connect(port, 4_096)) {
                    slowOpened.incrementAndGet();
                    raw.sendText("{\"type\":\"auth\",\"token\":\"" + hog.value() + "\"}");
                    try {
                        for (int page = 0; page < 100; page++) {
                            raw.sendText("{\"type\":\"history\",\"requestId\":\"h" + page + "\",\"with\":\"" + hogPeer
                                         + "\",\"limit\":100}");
                        }
                    } catch (IOException e) {
                        // closed by the server while asking
                    }
                    sleep(8_000); // reading nothing meanwhile
                    int code = raw.readUntilClosed(20_000);
                    if (code == 4429 || code == 1006) {
                        slowClosedByServer.incrementAndGet();
                    }
                } catch (IOException e) {
                    // the instance was down or the server stayed silent: not counted as closed
                }
            }));
        }
    }

    List<Event> events() {
        return events;
    }

    long kills() {
        return events.stream().filter(e -> e.action().isKill()).count();
    }

    int slowOpened() {
        return slowOpened.get();
    }

    int slowClosedByServer() {
        return slowClosedByServer.get();
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
