package io.microchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of server processes, read from {@code /proc} (Linux), so the load generator's
 * own work is never counted.
 */
final class ServerProcesses {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private final List<Long> pids;

    ServerProcesses(List<Long> pids) {
        this.pids = pids;
    }

    /**
     * User plus system CPU seconds of all the processes.
     *
     * @return the seconds, NaN without processes to measure
     */
    double cpuSeconds() {
        if (pids.isEmpty()) {
            return Double.NaN;
        }
        double total = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
            } catch (IOException | RuntimeException e) {
                // the process is gone
            }
        }
        return total;
    }

    /**
     * Resident set size of all the processes.
     *
     * @return bytes, -1 without processes to measure
     */
    long rssBytes() {
        if (pids.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }
        return total;
    }

    /** The pid of the redis-server listening on a port, found by its command line. */
    static Long redisPid(int port) {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains("redis-server") && cmdline.contains(":" + port)) {
                        return Long.parseLong(proc.getFileName().toString());
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
