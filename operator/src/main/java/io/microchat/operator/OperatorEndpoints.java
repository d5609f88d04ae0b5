package io.microchat.operator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator's HTTP side: {@code /healthz} (liveness: the process answers), {@code /readyz} (readiness: the
 * operator started and its informers are healthy), {@code /metrics} (Prometheus text: reconciles, errors,
 * durations, JVM).
 */
public final class OperatorEndpoints implements AutoCloseable {

    private final HttpServer server;

    public OperatorEndpoints(int port, PrometheusMeterRegistry registry, Operator operator) throws IOException {
        this(new InetSocketAddress(port), registry, operator);
    }

    public OperatorEndpoints(InetSocketAddress address, PrometheusMeterRegistry registry, Operator operator)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok", "text/plain"));
        server.createContext("/readyz", exchange -> {
            var runtime = operator.getRuntimeInfo();
            boolean ready = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
            respond(exchange, ready ? 200 : 503, ready ? "ready" : "not ready", "text/plain");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
                                                             "text/plain; version=0.0.4; charset=utf-8"));
    }

    public OperatorEndpoints start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
