package io.microchat.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads the auth service's request counter from its metrics endpoint, as an operator's dashboard would. */
final class AuthMetrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AuthMetrics() {
    }

    /** The requests the auth service at {@code authUrl} counted for {@code route}, with {@code status} or any if null. */
    static double requests(String authUrl, String route, String status) {
        String metrics;
        try {
            metrics = HTTP.send(HttpRequest.newBuilder(URI.create(authUrl + "/observe/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return metrics.lines()
                .filter(l -> l.startsWith("auth_http_requests_total{") && l.contains("route=\"" + route + "\"")
                             && (status == null || l.contains("status=\"" + status + "\"")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
