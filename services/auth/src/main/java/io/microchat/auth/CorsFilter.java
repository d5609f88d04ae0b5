package io.microchat.auth;

import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Cross-origin access to the auth API for the configured origins only (the browser app when it is served from
 * another origin, as locally where each chat instance has its own port). Other origins get no CORS headers, so
 * browsers keep their pages out; a preflight from them is refused. Allowed origins may send credentials (the
 * refresh cookie): the answer names the exact origin, never {@code *}.
 */
final class CorsFilter implements Filter {

    private final Set<String> allowedOrigins;

    CorsFilter(Set<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        if (origin == null) {
            chain.proceed();
            return;
        }
        boolean allowed = allowedOrigins.contains(origin);
        boolean preflight = req.prologue().method() == Method.OPTIONS
                            && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (preflight) {
            if (!allowed) {
                res.status(Status.FORBIDDEN_403).send();
                return;
            }
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HeaderNames.VARY, "Origin")
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST")
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization")
                    .header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
                    .status(Status.NO_CONTENT_204)
                    .send();
            return;
        }
        if (allowed) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    .header(HeaderNames.VARY, "Origin")
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                    .header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
        }
        chain.proceed();
    }

    /**
     * Whether a page of this origin may use the refresh cookie: one of the configured origins, or the auth API's
     * own (same scheme-less authority as the {@code Host} it was asked for).
     *
     * @param origin the request's {@code Origin}
     * @param host   the request's {@code Host}
     * @return true when allowed
     */
    boolean permits(String origin, String host) {
        if (allowedOrigins.contains(origin)) {
            return true;
        }
        try {
            java.net.URI uri = java.net.URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
