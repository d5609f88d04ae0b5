package io.microchat.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.microchat.devstack.LocalStack;
import io.microchat.devstack.TemporaryDirectory;
import jakarta.json.JsonObject;

/**
 * The load benchmark. Starts the local stack (two chat instances, auth, Redis, the MongoDB-protocol store), or
 * targets running services given by URL (each chat instance by its own URL; CPU and memory only of the processes
 * named by {@code --server-pids}, since only those can be read from this machine), and makes a {@link LoadRun} on
 * it: registers users, connects them spread over the instances, then sends private messages open loop (on a fixed
 * schedule, whatever the server does; latency counts from the intended send time, so a slow server cannot hide its
 * own latency), stepping the rate up until p99 passes the bound or a message is lost. Then the same with one instance
 * and no cross-instance traffic, for the cost of distribution.
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
        try (LoadRun run = LoadRun.open(s, target, pods, crossShare)) {
            return run.measure();
        }
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
