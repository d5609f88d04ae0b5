package io.microchat.bench.soak;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a soak found.
 *
 * @param settings           what ran
 * @param sent               soak messages handed to a connection at least once
 * @param acknowledged       of those, acknowledged with {@code sent}
 * @param lost               acknowledged and not shown to the recipient, who stayed connected (or reconnected
 *                           because of the chaos), after the settling time
 * @param lostAfterReconnect of those, still not shown after every user reconnected once more (not stored, or
 *                           not replayed: data loss)
 * @param lostCauses         the lost messages by likely cause
 * @param duplicated         messages shown to their recipient under two different ids
 * @param wrongOnline        connected users' views that did not show every connected user online
 * @param wrongOffline       views that still showed a user who had left online
 * @param maxRssBytes        the largest resident memory of each chat instance (over its restarts)
 * @param kills              instances ended (SIGKILL and SIGTERM)
 * @param kill9              of those, with SIGKILL
 * @param reconnects         reconnections of the simulated users
 * @param slowReaders        slow readers opened
 * @param slowReadersClosed  of those, closed by the server
 * @param chaosActions       chaos actions done
 */
public record SoakReport(SoakSettings settings, int sent, int acknowledged, int lost, int lostAfterReconnect,
                         Map<String, Integer> lostCauses, int duplicated, int wrongOnline, int wrongOffline,
                         long[] maxRssBytes, long kills, long kill9, int reconnects, int slowReaders,
                         int slowReadersClosed, int chaosActions) {

    /**
     * Whether the soak kept every promise.
     *
     * @return true with nothing lost or duplicated, presence right and memory within the limit
     */
    public boolean passed() {
        long limit = settings.rssLimitMegabytes() * 1024L * 1024L;
        boolean memoryBounded = true;
        for (long rss : maxRssBytes) {
            memoryBounded &= rss <= limit;
        }
        return lost == 0 && duplicated == 0 && wrongOnline == 0 && wrongOffline == 0 && memoryBounded;
    }

    /**
     * Prints the figures.
     *
     * @param out where
     */
    public void print(PrintStream out) {
        out.println();
        out.printf("soak: %d s, %d users, %d messages/s, %d chaos actions%n", settings.durationSeconds(),
                   settings.users(), settings.rate(), chaosActions);
        out.printf("  messages sent           %,d%n", sent);
        out.printf("  acknowledged            %,d%n", acknowledged);
        out.printf("  lost                    %,d %s%n", lost, lostCauses.isEmpty() ? "" : lostCauses);
        out.printf("  ... after a reconnect   %,d%n", lostAfterReconnect);
        out.printf("  duplicated (per view)   %,d%n", duplicated);
        out.printf("  presence: connected users not shown online in %d views; departed users shown online in %d%n",
                   wrongOnline, wrongOffline);
        for (int i = 0; i < maxRssBytes.length; i++) {
            out.printf("  chat-%d max RSS          %,d MiB (limit %d)%n", i + 1, maxRssBytes[i] >> 20,
                       settings.rssLimitMegabytes());
        }
        out.printf("  kills                   %d (%d with SIGKILL, %d with SIGTERM)%n", kills, kill9, kills - kill9);
        out.printf("  reconnects              %,d%n", reconnects);
        out.printf("  slow readers            %d opened, %d closed by the server%n", slowReaders, slowReadersClosed);
        out.println(passed() ? "soak: PASSED" : "soak: FAILED");
    }
}
