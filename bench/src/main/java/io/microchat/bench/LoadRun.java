package io.microchat.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;

/**
 * One load run against one configuration (a number of chat instances, a share of cross-instance messages): the
 * users it registered, their connections spread over the instances, and what has arrived. {@link #open} registers
 * and connects, measuring connection setup and idle memory; {@link #measure} sends private messages open loop at
 * each rate in turn (on a fixed schedule, whatever the server does; latency counts from the intended send time),
 * until p99 passes the bound or a message is lost; {@link #close} closes the connections.
 */
final class LoadRun implements AutoCloseable {

    /** Connections opened at once. */
    private static final int PARALLEL_CONNECTS = 64;
    /** Registrations and logins at once (the password hash is what they cost). */
    private static final int PARALLEL_REGISTRATIONS = 4;

    private final BenchSettings settings;
    private final Bench.Target target;
    private final int pods;
    private final double crossShare;
    private final List<AuthClient.Token> tokens;
    private final List<URI> urls;
    private final Bench.Delivery delivery;
    /** Each user's open connections; a user's messages go out on the first. */
    private final List<List<ChatClient>> byUser;
    private final List<ChatClient> all = Collections.synchronizedList(new ArrayList<>());
    private double coldSetupPerSecond = Double.NaN;
    private double setupPerSecond;
    private double rssBytesPerIdleConnection = Double.NaN;
    private long serverRssBytes = -1;

    private LoadRun(BenchSettings settings, Bench.Target target, int pods, double crossShare,
                    List<AuthClient.Token> tokens) {
        this.settings = settings;
        this.target = target;
        this.pods = pods;
        this.crossShare = crossShare;
        this.tokens = tokens;
        this.urls = target.chatUrls().stream().map(u -> URI.create(u.replaceFirst("^http", "ws") + "ws")).toList();
        this.delivery = new Bench.Delivery(settings.capacity());
        this.byUser = emptyPerUser();
    }

    /**
     * Registers the users and opens every connection: first {@code --connect-warmup} ones opened and closed on the
     * cold servers, then {@code --idle-low} and the rest, with the servers' memory sampled after each.
     *
     * @param settings   the benchmark's settings
     * @param target     the services and what can be measured of them
     * @param pods       chat instances used (the first of the target's)
     * @param crossShare the share of messages between users on different instances
     * @return the run, connected
     * @throws Exception when registering or connecting fails
     */
    static LoadRun open(BenchSettings settings, Bench.Target target, int pods, double crossShare) throws Exception {
        String prefix = "b" + Long.toString(System.nanoTime() % 1_000_000, 36) + "p" + pods + "u";
        List<AuthClient.Token> tokens = register(new AuthClient(URI.create(target.authUrl())), prefix,
                                                 settings.users());
        LoadRun run = new LoadRun(settings, target, pods, crossShare, tokens);
        try {
            run.connectAll();
        } catch (Exception | Error e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Steps the rate up, after the JIT warm-up, until a message is lost or p99 passes the bound.
     *
     * @return the run's figures
     * @throws InterruptedException when interrupted
     */
    BenchReport.Run measure() throws InterruptedException {
        if (settings.jitWarmupSeconds() > 0) {
            System.out.printf("warming up: %d s at %d msgs/s, not measured%n", settings.jitWarmupSeconds(),
                              settings.rates().getFirst());
            step(settings.rates().getFirst(), settings.jitWarmupSeconds(), 1);
        }
        List<BenchReport.Step> steps = new ArrayList<>();
        for (int rate : settings.rates()) {
            BenchReport.Step step = step(rate, settings.warmupSeconds(), settings.stepSeconds());
            steps.add(step);
            System.out.println(step.line());
            if (step.lost() > 0 || step.p99CrossMillis() > settings.p99BoundMillis()
                || step.p99SameMillis() > settings.p99BoundMillis()) {
                System.out.println("stopping: " + (step.lost() > 0 ? "messages lost" : "p99 above the bound"));
                break;
            }
        }
        return new BenchReport.Run(pods, crossShare, settings.connections(), setupPerSecond, coldSetupPerSecond,
                                   rssBytesPerIdleConnection, serverRssBytes, steps);
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(ChatClient::close);
        }
    }

    private void connectAll() throws Exception {
        warmUpConnections();
        long setupStart = System.nanoTime();
        connect(0, settings.idleLow(), delivery, byUser, all);
        double lowSeconds = (System.nanoTime() - setupStart) / 1e9;
        Thread.sleep(1_000);
        long rssLow = target.memory().rssBytes();
        long restStart = System.nanoTime();
        connect(settings.idleLow(), settings.connections(), delivery, byUser, all);
        double setupSeconds = lowSeconds + (System.nanoTime() - restStart) / 1e9;
        Thread.sleep(1_000);
        serverRssBytes = target.memory().rssBytes();
        setupPerSecond = settings.connections() / setupSeconds;
        rssBytesPerIdleConnection = settings.connections() > settings.idleLow() && serverRssBytes >= 0
                ? (double) (serverRssBytes - rssLow) / (settings.connections() - settings.idleLow()) : Double.NaN;
        System.out.printf("connected %d in %.1f s (%.0f/s); %s%n", settings.connections(), setupSeconds,
                          setupPerSecond, serverRssBytes < 0 ? "server memory not measured"
                          : String.format("server RSS %.1f MiB; %.1f KiB per idle connection",
                                          serverRssBytes / 1048576.0, rssBytesPerIdleConnection / 1024));
    }

    /**
     * Opens and closes {@code --connect-warmup} connections, so that the memory samples after it see what a
     * connection costs, not what the JVM grows once while compiling the connection path; their rate is the cold
     * setup rate (NaN without a warm-up).
     */
    private void warmUpConnections() throws Exception {
        if (settings.connectWarmup() <= 0) {
            return;
        }
        List<ChatClient> opened = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        connect(0, settings.connectWarmup(), new Bench.Delivery(settings.capacity()), emptyPerUser(), opened);
        coldSetupPerSecond = settings.connectWarmup() / ((System.nanoTime() - start) / 1e9);
        opened.forEach(ChatClient::close);
        Thread.sleep(2_000);
        System.out.printf("warm-up: %d connections opened (%.0f/s on the cold servers) and closed%n",
                          settings.connectWarmup(), coldSetupPerSecond);
    }

    private List<List<ChatClient>> emptyPerUser() {
        List<List<ChatClient>> perUser = new ArrayList<>();
        for (int u = 0; u < settings.users(); u++) {
            perUser.add(new ArrayList<>());
        }
        return perUser;
    }

    /** Opens connections {@code from} to {@code to}; connection c is user {@code c % users}, on instance user % pods. */
    private void connect(int from, int to, Bench.Delivery arrivals, List<List<ChatClient>> perUser,
                         List<ChatClient> opened) throws Exception {
        Semaphore parallel = new Semaphore(PARALLEL_CONNECTS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = from; c < to; c++) {
                int user = c % settings.users();
                done.add(CompletableFuture.runAsync(() -> {
                    parallel.acquireUninterruptibly();
                    try {
                        ChatClient client = ChatClient.connect(urls.get(user % pods), tokens.get(user).username(),
                                                               tokens.get(user).value(), MessageLog.idsOnly(),
                                                               new ChatClient.Options(null, true, false,
                                                                                      arrivals::delivered, null));
                        client.awaitWelcome(Duration.ofSeconds(60));
                        synchronized (perUser) {
                            perUser.get(user).add(client);
                        }
                        opened.add(client);
                    } finally {
                        parallel.release();
                    }
                }, executor));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static List<AuthClient.Token> register(AuthClient auth, String prefix, int users) {
        AuthClient.Token[] tokens = new AuthClient.Token[users];
        Semaphore parallel = new Semaphore(PARALLEL_REGISTRATIONS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                int index = u;
                done.add(CompletableFuture.runAsync(() -> {
                    parallel.acquireUninterruptibly();
                    try {
                        String name = prefix + index;
                        auth.register(name, "bench-password-" + index);
                        tokens[index] = auth.login(name, "bench-password-" + index);
                    } finally {
                        parallel.release();
                    }
                }, executor));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
        return List.of(tokens);
    }

    /**
     * One rate: {@code warmupSeconds} of messages not measured, then {@code stepSeconds} measured, then a wait until
     * deliveries stop arriving.
     *
     * @param rate          messages per second
     * @param warmupSeconds seconds sent before measuring
     * @param stepSeconds   seconds measured
     * @return the step's figures
     * @throws InterruptedException when interrupted
     */
    BenchReport.Step step(int rate, int warmupSeconds, int stepSeconds) throws InterruptedException {
        int duplicatesBefore = duplicatesDropped();
        int warmup = rate * warmupSeconds;
        int measured = rate * stepSeconds;
        int first = delivery.reserve(warmup + measured);
        long period = 1_000_000_000L / rate;
        Latencies cross = new Latencies();
        Latencies same = new Latencies();
        delivery.measure(first + warmup, first + warmup + measured, cross, same);
        long start = System.nanoTime() + 50_000_000L;
        double[] cpuBefore = new double[3];
        var serverBefore = new TreeMap<Double, Double>();
        long measureStart = 0;
        for (int i = 0; i < warmup + measured; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmup) {
                cpuBefore = target.cpu().seconds();
                measureStart = System.nanoTime();
                serverBefore = ServerLatency.snapshot(target.chatUrls());
            }
            send(first + i, i % tokens.size(), due);
        }
        double sendSeconds = (System.nanoTime() - measureStart) / 1e9;
        awaitQuiet(first, first + warmup + measured);
        double[] cpuAfter = target.cpu().seconds();
        var serverAfter = ServerLatency.snapshot(target.chatUrls());
        BenchReport.Counts counts = count(first, warmup + measured, duplicatesDropped() - duplicatesBefore);
        int measuredDelivered = cross.count() + same.count();
        return new BenchReport.Step(
                rate,
                new BenchReport.Throughput(measured / sendSeconds, measuredDelivered / sendSeconds,
                                           cross.count() / sendSeconds),
                counts,
                BenchReport.Latency.of(cross),
                BenchReport.Latency.of(same),
                new BenchReport.CpuPer1000(per1000(cpuAfter[0] - cpuBefore[0], measuredDelivered),
                                           per1000(cpuAfter[1] - cpuBefore[1], measuredDelivered),
                                           per1000(cpuAfter[2] - cpuBefore[2], measuredDelivered)),
                ServerLatency.percentileMillis(serverBefore, serverAfter, 99));
    }

    /** Sends message {@code seq} from a user to another, on the same instance or not as the cross share draws. */
    private void send(int seq, int senderUser, long dueNanos) {
        boolean crossPod = pods > 1 && ThreadLocalRandom.current().nextDouble() < crossShare;
        int recipient = pickRecipient(senderUser, tokens.size(), crossPod);
        delivery.expect(seq, dueNanos, crossPod, tokens.get(recipient).username());
        ChatClient sender = byUser.get(senderUser).getFirst();
        sender.send("m" + seq, "to", tokens.get(recipient).username(), "bench " + seq)
                .thenAccept(frame -> {
                    if ("sent".equals(frame.getString("type"))) {
                        delivery.acked.set(seq, 1);
                    }
                });
    }

    /** Of messages {@code first} to {@code first + sent}: how many were acknowledged, delivered, lost. */
    private BenchReport.Counts count(int first, int sent, int duplicated) {
        int acked = 0;
        int delivered = 0;
        int lost = 0;
        for (int i = first; i < first + sent; i++) {
            boolean wasAcked = delivery.acked.get(i) == 1;
            boolean wasDelivered = delivery.deliveredAt.get(i) != 0;
            acked += wasAcked ? 1 : 0;
            delivered += wasDelivered ? 1 : 0;
            lost += wasAcked && !wasDelivered ? 1 : 0;
        }
        return new BenchReport.Counts(sent, acked, delivered, lost, duplicated);
    }

    private int duplicatesDropped() {
        synchronized (all) {
            return all.stream().mapToInt(c -> c.log().duplicatesDropped()).sum();
        }
    }

    private static double per1000(double cpuSeconds, int delivered) {
        return delivered == 0 ? Double.NaN : cpuSeconds / delivered * 1000;
    }

    /** Waits until deliveries stop arriving for {@code --drain-ms} (at most a minute), so late is not lost. */
    private void awaitQuiet(int from, int to) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        int last = -1;
        long lastChange = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            int delivered = 0;
            for (int i = from; i < to; i++) {
                delivered += delivery.deliveredAt.get(i) != 0 ? 1 : 0;
            }
            if (delivered == to - from) {
                return;
            }
            if (delivered != last) {
                last = delivered;
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastChange > settings.drainMillis()) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private int pickRecipient(int sender, int users, boolean crossPod) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(users);
            boolean samePod = candidate % pods == sender % pods;
            if (candidate != sender && (crossPod != samePod)) {
                return candidate;
            }
        }
        return (sender + 1) % users;
    }
}
