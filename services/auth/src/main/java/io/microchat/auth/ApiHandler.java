package io.microchat.auth;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

/**
 * Wraps a route's handler: turns {@link ApiException}s and unexpected failures into the JSON error shape, and
 * counts every request by route and final status.
 */
final class ApiHandler implements Handler {

    private static final Logger LOGGER = Logger.getLogger(ApiHandler.class.getName());

    private final String route;
    private final Handler delegate;
    private final AuthMetrics metrics;

    private ApiHandler(String route, Handler delegate, AuthMetrics metrics) {
        this.route = route;
        this.delegate = delegate;
        this.metrics = metrics;
    }

    static Handler of(String route, Handler delegate, AuthMetrics metrics) {
        return new ApiHandler(route, delegate, metrics);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            delegate.handle(req, res);
        } catch (ApiException e) {
            e.headers().forEach((name, value) -> res.header(name, value));
            sendError(res, e.status(), e.code(), e.getMessage());
        } catch (Exception e) {
            if (isDatabaseDown(e)) {
                LOGGER.warning(() -> route + ": database unavailable: " + e);
                sendError(res, Status.SERVICE_UNAVAILABLE_503, "unavailable",
                          "The service is temporarily unavailable; try again shortly.");
            } else {
                LOGGER.log(Level.SEVERE, route + ": unexpected failure", e);
                sendError(res, Status.INTERNAL_SERVER_ERROR_500, "internal_error", "Something went wrong on our side.");
            }
        } finally {
            metrics.request(route, req.prologue().method().text(), res.status().code());
        }
    }

    static void sendError(ServerResponse res, Status status, String code, String message) {
        if (res.isSent()) {
            return;
        }
        res.status(status)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(Json.createObjectBuilder().add("error", code).add("message", message).build());
    }

    private static boolean isDatabaseDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.mongodb.MongoTimeoutException
                    || t instanceof com.mongodb.MongoSocketException
                    || t instanceof com.mongodb.MongoNotPrimaryException) {
                return true;
            }
        }
        return false;
    }
}
