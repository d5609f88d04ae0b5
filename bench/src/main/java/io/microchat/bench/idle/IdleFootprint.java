package io.microchat.bench.idle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.microchat.bench.Options;
import io.microchat.client.AuthClient;
import io.microchat.devstack.FreePort;
import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;

/**
 * Memory per idle connection, by object accounting: opens {@code --low} authenticated idle connections to one chat
 * instance, takes its class histogram ({@code jcmd <pid> GC.class_histogram}, which collects first, so only
 * what is reachable counts), opens more up to {@code --high}, takes it again, and divides the difference by the
 * connections added. With {@code --floor-jar} (the bare Helidon relay of {@code ../shared/peer-bench/floor}) it
 * measures that relay the same way: its figure is Helidon's own per connection, and MicroChat's share is the rest.
 *
 * <p>The connections are {@code java.net.http} WebSockets in this process that send the first frame (MicroChat's
 * {@code auth} with a token, the relay's {@code hello}) and then nothing; the server's JVM has the pod's settings
 * ({@code MICROCHAT_JVM_OPTS}).
 */
public final class IdleFootprint {

    private static final int PARALLEL_CONNECTS = 32;
    /** Registrations hash passwords: a few at a time, or the auth service times out on a small machine. */
    private static final int PARALLEL_REGISTRATIONS = 4;
    private static final int TOP_CLASSES = 25;

    private IdleFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args, Map.of(
                "--root", ".", "--users", "200", "--low", "1000", "--high", "3000", "--settle", "8",
                "--floor-jar", ""));
        Path root = Path.of(o.get("--root")).toAbsolutePath().normalize();
        int users = Integer.parseInt(o.get("--users"));
        int low = Integer.parseInt(o.get("--low"));
        int high = Integer.parseInt(o.get("--high"));
        int settle = Integer.parseInt(o.get("--settle"));
        if (low < 0 || high <= low) {
            throw new IllegalArgumentException("--high must be more than --low");
        }
        Result microchat = microchat(root, users, low, high, settle);
        microchat.print(System.out, "MicroChat chat instance");
        String floorJar = o.get("--floor-jar");
        if (!floorJar.isBlank()) {
            Result floor = floor(Path.of(floorJar), users, low, high, settle);
            floor.print(System.out, "bare Helidon relay (" + floorJar + ")");
            System.out.printf("%n  %-10s %10s %10s %10s%n", "B/conn", "MicroChat", "relay", "difference");
            Map<ClassHistogram.Owner, Long> mine = microchat.diff().bytesByOwner();
            Map<ClassHistogram.Owner, Long> theirs = floor.diff().bytesByOwner();
            for (ClassHistogram.Owner owner : ClassHistogram.Owner.values()) {
                double a = (double) mine.get(owner) / microchat.added();
                double b = (double) theirs.get(owner) / floor.added();
                System.out.printf("  %-10s %10.0f %10.0f %10.0f%n", owner, a, b, a - b);
            }
            double stacks = (double) mine.get(ClassHistogram.Owner.THREAD) / microchat.added()
                            - (double) theirs.get(ClassHistogram.Owner.THREAD) / floor.added();
            double own = microchat.perConnection() - floor.perConnection();
            System.out.printf("%nPer idle connection: total %.0f B; Helidon (bare relay) %.0f B;"
                              + " MicroChat's own %.0f B, of which %.0f B outside the reading thread (its frozen"
                              + " stack, the THREAD row, moves by some 500 B from run to run)%n",
                              microchat.perConnection(), floor.perConnection(), own, own - stacks);
        } else {
            Map<ClassHistogram.Owner, Long> owners = microchat.diff().bytesByOwner();
            System.out.printf("%nPer idle connection: total %.0f B; io.microchat classes %.0f B "
                              + "(give --floor-jar for Helidon's part of the JDK types)%n",
                              microchat.perConnection(),
                              (double) owners.get(ClassHistogram.Owner.MICROCHAT) / microchat.added());
        }
    }

    /**
     * The histograms of one server at {@code low} and {@code high} connections.
     *
     * @param diff  high minus low
     * @param added the connections added between them
     */
    record Result(ClassHistogram diff, int added) {

        double perConnection() {
            return (double) diff.totalBytes() / added;
        }

        void print(PrintStream out, String what) {
            out.printf("%n== %s: %d connections added, %.0f bytes each%n", what, added, perConnection());
            diff.bytesByOwner().forEach((owner, bytes) -> out.printf("  %-10s %8.0f B%n", owner,
                                                                   (double) bytes / added));
            out.printf("  %-60s %10s %10s%n", "largest classes", "B/conn", "inst/conn");
            for (Map.Entry<String, ClassHistogram.Row> e : diff.largest(TOP_CLASSES)) {
                out.printf("  %-60s %10.1f %10.2f%n", e.getKey(), (double) e.getValue().bytes() / added,
                           (double) e.getValue().instances() / added);
            }
        }
    }

    private static Result microchat(Path root, int users, int low, int high, int settle) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (TemporaryDirectory data = TemporaryDirectory.create("idle-data");
             LocalStack stack = LocalStack.start(LocalStack.Settings.onFreePorts(root, data.path(), 1, quiet)
                                                         .inMemoryStore().storeInOwnProcess())) {
            AuthClient auth = new AuthClient(URI.create(stack.authUrl()));
            String[] tokens = new String[users];
            String prefix = "idle" + Long.toString(System.nanoTime() % 1_000_000, 36) + "u";
            forEach(users, PARALLEL_REGISTRATIONS, u -> () -> {
                auth.register(prefix + u, "idle-password-" + u);
                tokens[u] = auth.login(prefix + u, "idle-password-" + u).value();
            });
            URI ws = URI.create(stack.chatUrls().getFirst().replace("http://", "ws://") + "ws");
            return measure(stack.chat(0).pid(), ws, c -> "{\"type\":\"auth\",\"token\":\"" + tokens[c % users] + "\"}",
                           "\"welcome\"", low, high, settle);
        }
    }

    private static Result floor(Path jar, int users, int low, int high, int settle) throws Exception {
        int port = FreePort.find();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = System.getenv().getOrDefault("MICROCHAT_JVM_OPTS", "").trim();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().remove("REDIS_URL");
        Process relay = builder.start();
        try {
            awaitPort(port, relay);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            return measure(relay.pid(), ws, c -> "{\"type\":\"hello\",\"user\":\"u" + (c % users) + "\"}", null,
                           low, high, settle);
        } finally {
            relay.destroy();
            if (!relay.waitFor(10, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
    }

    private static void awaitPort(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with " + process.exitValue());
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the relay did not open port " + port);
    }

    /**
     * Opens {@code low} connections, settles, takes a histogram, opens up to {@code high}, settles, takes another.
     *
     * @param pid    the server process
     * @param uri    its WebSocket URL
     * @param first  the first frame of connection c
     * @param answer text in the frame that says the first was accepted (null: none is awaited)
     */
    private static Result measure(long pid, URI uri, IntFunction<String> first, String answer, int low, int high,
                                  int settle) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            // a warm-up round opened and closed: what the JVM grows once on the connection path is not counted
            open(http, uri, first, answer, 0, Math.min(low, 200), open);
            closeAll(open);
            open(http, uri, first, answer, 0, low, open);
            ClassHistogram atLow = histogram(pid, settle);
            open(http, uri, first, answer, low, high, open);
            ClassHistogram atHigh = histogram(pid, settle);
            return new Result(atHigh.minus(atLow), high - low);
        } finally {
            closeAll(open);
            http.close();
        }
    }

    private static void closeAll(List<WebSocket> open) throws InterruptedException {
        synchronized (open) {
            open.forEach(WebSocket::abort);
            open.clear();
        }
        Thread.sleep(2_000);
    }

    private static void open(HttpClient http, URI uri, IntFunction<String> first, String answer, int from, int to,
                             List<WebSocket> open) throws Exception {
        forEach(to - from, PARALLEL_CONNECTS, i -> () -> {
            int c = from + i;
            CompletableFuture<Void> accepted = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, new Listener(answer, accepted)).join();
            open.add(socket);
            socket.sendText(first.apply(c), true).join();
            if (answer != null) {
                accepted.get(60, TimeUnit.SECONDS);
            }
        });
    }

    /** Runs {@code count} tasks on virtual threads, {@code parallelism} at a time, and waits for them all. */
    private static void forEach(int count, int parallelism, IntFunction<ThrowingRunnable> task) {
        Semaphore parallel = new Semaphore(parallelism);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ThrowingRunnable run = task.apply(i);
                done.add(CompletableFuture.runAsync(() -> {
                    parallel.acquireUninterruptibly();
                    try {
                        run.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        parallel.release();
                    }
                }, executor));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
    }

    /** A task that may throw. */
    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The live-object histogram of a process, after {@code settle} seconds (timers of the connections opened last
     * run out: the authentication timeout).
     */
    static ClassHistogram histogram(long pid, int settle) throws Exception {
        Thread.sleep(settle * 1_000L);
        jcmd(pid); // once to collect what the first collection leaves for reference processing
        return ClassHistogram.parse(jcmd(pid));
    }

    private static String jcmd(long pid) throws Exception {
        Path out = Files.createTempFile("histogram", ".txt");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                           Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd failed: " + Files.readString(out));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Waits for the frame that says the first frame was accepted; answers nothing. */
    private record Listener(String answer, CompletableFuture<Void> accepted) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (answer != null && data.toString().contains(answer)) {
                accepted.complete(null);
            } else if (data.toString().contains("\"error\"")) {
                accepted.completeExceptionally(new IllegalStateException(data.toString()));
            }
            webSocket.request(1);
            return null;
        }
    }
}
