package io.microchat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat instances' own view of delivery latency (acceptance of a message to its write on the recipient's
 * socket), from their {@code chat_delivery_latency_seconds} histograms, so the report can tell latency added by
 * the servers from latency added by the load generator's own clients.
 */
final class ServerLatency {

    private static final Pattern BUCKET = Pattern.compile(
            "^chat_delivery_latency_seconds_bucket\\{[^}]*path=\"(local|redis)\"[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)",
            Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServerLatency() {
    }

    /** Cumulative bucket counts (upper bound in seconds to count), summed over instances and paths. */
    static TreeMap<Double, Double> snapshot(List<String> chatUrls) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String url : chatUrls) {
            try {
                String body = HTTP.send(HttpRequest.newBuilder(URI.create(url + "observe/metrics")).build(),
                                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = BUCKET.matcher(body);
                while (m.find()) {
                    double le = "+Inf".equals(m.group(2)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
                    buckets.merge(le, Double.parseDouble(m.group(3)), Double::sum);
                }
            } catch (Exception e) {
                // an instance that does not answer contributes nothing
            }
        }
        return buckets;
    }

    /** The p-th percentile in milliseconds of what was recorded between two snapshots (a bucket's upper bound). */
    static double percentileMillis(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double p) {
        double total = after.lastEntry() == null ? 0
                : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        if (total <= 0) {
            return 0;
        }
        for (var bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= p / 100.0 * total) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
