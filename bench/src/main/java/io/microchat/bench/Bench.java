package io.microchat.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import io.microchat.client.AuthClient;
import io.microchat.client.ChatClient;
import io.microchat.client.MessageLog;
import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;
import jakarta.json.JsonObject;

/**
 * The load benchmark. Starts the local stack (two chat instances, auth, Redis, the MongoDB-protocol store), or
 * targets running services given by URL (each chat instance by its own URL; CPU and memory only of the processes
 * named by {@code --server-pids}, since only those can be read from this machine), registers users, connects them
 * spread over the instances, then sends private messages open loop (on a fixed schedule, whatever the server
 * does; latency counts from the intended send time, so a slow server cannot hide its own latency), stepping the
 * rate up until p99 passes the bound or a message is lost. Then the same with one instance and no cross-instance
 * traffic, for the cost of distribution.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args);
        BenchReport report = run(settings);
        report.print(System.out);
        Path json = report.write(settings.out());
        System.out.println("Results: " + json);
    }

    public static BenchReport run(BenchSettings settings) throws Exception {
        List<BenchReport.Run> runs = new ArrayList<>();
        Versions versions = new Versions();
        int pods = settings.targetsRunningServices() ? settings.chatUrls().size() : 2;
        runs.add(runCluster(settings, pods, pods > 1 ? settings.crossShare() : 0.0, versions));
        if (settings.singlePodRun() && pods > 1) {
            runs.add(runCluster(settings, 1, 0.0, versions));
        }
        return new BenchReport(settings, versions.asMap(), runs);
    }

    static BenchReport.Run runCluster(BenchSettings s, int pods, double crossShare, Versions versions)
            throws Exception {
        System.out.printf("%n== %d chat instance(s), %d users, %d connections, %.0f %% cross-instance%n",
                          pods, s.users(), s.connections(), crossShare * 100);
        ServerProcesses generator = new ServerProcesses(List.of(ProcessHandle.current().pid()));
        if (s.targetsRunningServices()) {
            // the first instances given; whatever else runs is not the benchmark's to see
            ServerProcesses servers = new ServerProcesses(s.serverPids());
            return measure(s, new Target(s.authUrl(), s.chatUrls().subList(0, pods),
                                         new CpuMeters(servers, new ServerProcesses(List.of()), generator),
                                         servers),
                           pods, crossShare);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        // the store in memory (its file format is not what is measured) and in a process of its own, as MongoDB is
        try (TemporaryDirectory data = TemporaryDirectory.create("bench-data");
             LocalStack stack = LocalStack.start(LocalStack.Settings.onFreePorts(
                     s.root(), data.path(), pods, quiet).inMemoryStore().storeInOwnProcess())) {
            List<Long> chatPids = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                chatPids.add(stack.chat(i).pid());
            }
            List<Long> serverPids = new ArrayList<>(chatPids);
            serverPids.add(stack.auth().pid());
            versions.addRedis(stack.settings().redisPort());
            Long redis = ServerProcesses.redisPid(stack.settings().redisPort());
            if (redis != null) {
                serverPids.add(redis);
            }
            CpuMeters cpu = new CpuMeters(new ServerProcesses(serverPids),
                                          new ServerProcesses(List.of(stack.storeProcess().pid())), generator);
            return measure(s, new Target(stack.authUrl(), stack.chatUrls(), cpu, new ServerProcesses(chatPids)),
                           pods, crossShare);
        }
    }

    /**
     * What a run measures.
     *
     * @param authUrl  the auth service
     * @param chatUrls the chat instances, one URL each, ending in "/"
     * @param cpu      CPU meters
     * @param memory   the processes whose resident memory is sampled (none: not measured)
     */
    record Target(String authUrl, List<String> chatUrls, CpuMeters cpu, ServerProcesses memory) {
    }

    private static BenchReport.Run measure(BenchSettings s, Target target, int pods, double crossShare)
            throws Exception {
        CpuMeters cpu = target.cpu();
        String prefix = "b" + Long.toString(System.nanoTime() % 1_000_000, 36) + "p" + pods + "u";
        List<AuthClient.Token> tokens = register(new AuthClient(URI.create(target.authUrl())), prefix, s.users());
        List<URI> urls = target.chatUrls().stream().map(u -> URI.create(u.replaceFirst("^http", "ws") + "ws"))
                .toList();

        Delivery delivery = new Delivery(s.capacity());
        List<List<ChatClient>> byUser = new ArrayList<>();
        for (int u = 0; u < s.users(); u++) {
            byUser.add(new ArrayList<>());
        }
        List<ChatClient> all = java.util.Collections.synchronizedList(new ArrayList<>());
        double coldSetupPerSecond = warmUpConnections(s, pods, tokens, urls);
        long setupStart = System.nanoTime();
        connect(s, 0, s.idleLow(), pods, tokens, urls, delivery, byUser, all);
        double lowSeconds = (System.nanoTime() - setupStart) / 1e9;
        Thread.sleep(1_000);
        long rssLow = target.memory().rssBytes();
        long restStart = System.nanoTime();
        connect(s, s.idleLow(), s.connections(), pods, tokens, urls, delivery, byUser, all);
        double setupSeconds = lowSeconds + (System.nanoTime() - restStart) / 1e9;
        Thread.sleep(1_000);
        long rssHigh = target.memory().rssBytes();
        double perIdle = s.connections() > s.idleLow() && rssHigh >= 0
                ? (double) (rssHigh - rssLow) / (s.connections() - s.idleLow()) : Double.NaN;
        System.out.printf("connected %d in %.1f s (%.0f/s); %s%n", s.connections(), setupSeconds,
                          s.connections() / setupSeconds, rssHigh < 0 ? "server memory not measured"
                          : String.format("server RSS %.1f MiB; %.1f KiB per idle connection",
                                          rssHigh / 1048576.0, perIdle / 1024));

        if (s.jitWarmupSeconds() > 0) {
            System.out.printf("warming up: %d s at %d msgs/s, not measured%n", s.jitWarmupSeconds(),
                              s.rates().getFirst());
            step(s, s.rates().getFirst(), s.jitWarmupSeconds(), 1, pods, crossShare, tokens, byUser, all,
                 delivery, cpu, target.chatUrls());
        }
        List<BenchReport.Step> steps = new ArrayList<>();
        for (int rate : s.rates()) {
            BenchReport.Step step = step(s, rate, s.warmupSeconds(), s.stepSeconds(), pods, crossShare, tokens,
                                         byUser, all, delivery, cpu, target.chatUrls());
            steps.add(step);
            System.out.println(step.line());
            if (step.lost() > 0 || step.p99CrossMillis() > s.p99BoundMillis()
                || step.p99SameMillis() > s.p99BoundMillis()) {
                System.out.println("stopping: " + (step.lost() > 0 ? "messages lost" : "p99 above the bound"));
                break;
            }
        }
        all.forEach(ChatClient::close);
        return new BenchReport.Run(pods, crossShare, s.connections(), s.connections() / setupSeconds,
                                   coldSetupPerSecond, perIdle, rssHigh, steps);
    }

    /**
     * Opens and closes {@code --connect-warmup} connections, so that the memory samples after it see what a
     * connection costs, not what the JVM grows once while compiling the connection path.
     *
     * @return connections per second of this first, cold, setup; NaN without a warm-up
     */
    private static double warmUpConnections(BenchSettings s, int pods, List<AuthClient.Token> tokens, List<URI> urls)
            throws Exception {
        if (s.connectWarmup() <= 0) {
            return Double.NaN;
        }
        List<List<ChatClient>> byUser = new ArrayList<>();
        for (int u = 0; u < s.users(); u++) {
            byUser.add(new ArrayList<>());
        }
        List<ChatClient> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        connect(s, 0, s.connectWarmup(), pods, tokens, urls, new Delivery(s.capacity()), byUser, opened);
        double perSecond = s.connectWarmup() / ((System.nanoTime() - start) / 1e9);
        opened.forEach(ChatClient::close);
        Thread.sleep(2_000);
        System.out.printf("warm-up: %d connections opened (%.0f/s on the cold servers) and closed%n",
                          s.connectWarmup(), perSecond);
        return perSecond;
    }

    /** Opens connections {@code from} to {@code to}, 64 at a time; user {@code c % users} on instance user % pods. */
    private static void connect(BenchSettings s, int from, int to, int pods, List<AuthClient.Token> tokens,
                                List<URI> urls, Delivery delivery, List<List<ChatClient>> byUser,
                                List<ChatClient> all) throws Exception {
        Semaphore parallel = new Semaphore(64);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = from; c < to; c++) {
                int user = c % s.users();
                done.add(CompletableFuture.runAsync(() -> {
                    parallel.acquireUninterruptibly();
                    try {
                        ChatClient client = ChatClient.connect(urls.get(user % pods), tokens.get(user).username(),
                                                               tokens.get(user).value(), MessageLog.idsOnly(),
                                                               new ChatClient.Options(null, true, false,
                                                                                      delivery::delivered, null));
                        client.awaitWelcome(Duration.ofSeconds(60));
                        synchronized (byUser) {
                            byUser.get(user).add(client);
                        }
                        all.add(client);
                    } finally {
                        parallel.release();
                    }
                }, executor));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static List<AuthClient.Token> register(AuthClient auth, String prefix, int users) throws Exception {
        AuthClient.Token[] tokens = new AuthClient.Token[users];
        Semaphore parallel = new Semaphore(4);
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

    private static BenchReport.Step step(BenchSettings s, int rate, int warmupSeconds, int stepSeconds, int pods,
                                        double crossShare,
                                        List<AuthClient.Token> tokens, List<List<ChatClient>> byUser,
                                        List<ChatClient> all, Delivery delivery, CpuMeters cpu,
                                        List<String> chatUrls)
            throws InterruptedException {
        var serverBefore = new java.util.TreeMap<Double, Double>();
        int duplicatesBefore = all.stream().mapToInt(c -> c.log().duplicatesDropped()).sum();
        int warmup = rate * warmupSeconds;
        int measured = rate * stepSeconds;
        int first = delivery.reserve(warmup + measured);
        long period = 1_000_000_000L / rate;
        Latencies cross = new Latencies();
        Latencies same = new Latencies();
        delivery.measure(first + warmup, first + warmup + measured, cross, same);
        AtomicLongArray acked = delivery.acked;
        long start = System.nanoTime() + 50_000_000L;
        double[] cpuBefore = new double[3];
        long measureStart = 0;
        for (int i = 0; i < warmup + measured; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmup) {
                cpuBefore = cpu.seconds();
                measureStart = System.nanoTime();
                serverBefore = ServerLatency.snapshot(chatUrls);
            }
            int seq = first + i;
            int senderUser = i % tokens.size();
            boolean crossPod = pods > 1 && ThreadLocalRandom.current().nextDouble() < crossShare;
            int recipient = pickRecipient(senderUser, tokens.size(), pods, crossPod);
            delivery.expect(seq, due, crossPod, tokens.get(recipient).username());
            ChatClient sender = byUser.get(senderUser).getFirst();
            sender.send("m" + seq, "to", tokens.get(recipient).username(), "bench " + seq)
                    .thenAccept(frame -> {
                        if ("sent".equals(frame.getString("type"))) {
                            acked.set(seq, 1);
                        }
                    });
        }
        double sendSeconds = (System.nanoTime() - measureStart) / 1e9;
        awaitQuiet(delivery, first, first + warmup + measured, s.drainMillis());
        double[] cpuAfter = cpu.seconds();
        var serverAfter = ServerLatency.snapshot(chatUrls);
        int sent = warmup + measured;
        int ackedCount = 0;
        int deliveredCount = 0;
        int lost = 0;
        for (int i = first; i < first + sent; i++) {
            boolean wasAcked = acked.get(i) == 1;
            boolean wasDelivered = delivery.deliveredAt.get(i) != 0;
            ackedCount += wasAcked ? 1 : 0;
            deliveredCount += wasDelivered ? 1 : 0;
            lost += wasAcked && !wasDelivered ? 1 : 0;
        }
        int measuredDelivered = cross.count() + same.count();
        return new BenchReport.Step(rate, measured / sendSeconds, sent, ackedCount, deliveredCount, lost,
                                    all.stream().mapToInt(c -> c.log().duplicatesDropped()).sum() - duplicatesBefore,
                                    measuredDelivered / sendSeconds, cross.count() / sendSeconds,
                                    cross.percentileMillis(50), cross.percentileMillis(95), cross.percentileMillis(99),
                                    cross.percentileMillis(100), same.percentileMillis(50), same.percentileMillis(95),
                                    same.percentileMillis(99), same.percentileMillis(100),
                                    per1000(cpuAfter[0] - cpuBefore[0], measuredDelivered),
                                    per1000(cpuAfter[1] - cpuBefore[1], measuredDelivered),
                                    per1000(cpuAfter[2] - cpuBefore[2], measuredDelivered),
                                    ServerLatency.percentileMillis(serverBefore, serverAfter, 99));
    }

    private static double per1000(double cpuSeconds, int delivered) {
        return delivered == 0 ? Double.NaN : cpuSeconds / delivered * 1000;
    }

    /**
     * CPU time of the servers (chat, auth, Redis), of the MongoDB stand-in and of this generator, kept apart.
     *
     * @param servers   the servers
     * @param store     the store's process
     * @param generator this process
     */
    record CpuMeters(ServerProcesses servers, ServerProcesses store, ServerProcesses generator) {
        double[] seconds() {
            return new double[] {servers.cpuSeconds(), store.cpuSeconds(), generator.cpuSeconds()};
        }
    }

    /** Waits until deliveries stop arriving for {@code quietMillis} (at most a minute), so late is not lost. */
    private static void awaitQuiet(Delivery delivery, int from, int to, int quietMillis) throws InterruptedException {
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
            } else if (System.currentTimeMillis() - lastChange > quietMillis) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static int pickRecipient(int sender, int users, int pods, boolean crossPod) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(users);
            boolean samePod = candidate % pods == sender % pods;
            if (candidate != sender && (crossPod != samePod)) {
                return candidate;
            }
        }
        return (sender + 1) % users;
    }

    /** Which messages were delivered when; each message counts once per recipient user, at its first arrival. */
    static final class Delivery {
        final AtomicLongArray acked;
        final AtomicLongArray deliveredAt;
        private final AtomicLongArray intended;
        private final AtomicReferenceArray<String> recipients;
        private final boolean[] crossPod;
        private int next;
        private volatile int measureFrom;
        private volatile int measureTo;
        private volatile Latencies cross;
        private volatile Latencies same;

        Delivery(int capacity) {
            acked = new AtomicLongArray(capacity);
            deliveredAt = new AtomicLongArray(capacity);
            intended = new AtomicLongArray(capacity);
            recipients = new AtomicReferenceArray<>(capacity);
            crossPod = new boolean[capacity];
        }

        synchronized int reserve(int count) {
            int first = next;
            next += count;
            if (next > acked.length()) {
                throw new IllegalStateException("more messages than planned; raise --capacity");
            }
            return first;
        }

        void measure(int from, int to, Latencies crossLatencies, Latencies sameLatencies) {
            cross = crossLatencies;
            same = sameLatencies;
            measureFrom = from;
            measureTo = to;
        }

        void expect(int seq, long intendedNanos, boolean cross, String recipient) {
            intended.set(seq, intendedNanos);
            crossPod[seq] = cross;
            recipients.set(seq, recipient);
        }

        void delivered(JsonObject message) {
            long now = System.nanoTime();
            String text = message.getString("text", "");
            if (!text.startsWith("bench ")) {
                return;
            }
            int seq = Integer.parseInt(text.substring(6));
            if (!deliveredAt.compareAndSet(seq, 0, now)) {
                return; // another connection of the same user had it first: not a duplicate
            }
            if (seq >= measureFrom && seq < measureTo) {
                long micros = (now - intended.get(seq)) / 1000;
                (crossPod[seq] ? cross : same).add(micros);
            }
        }
    }
}
