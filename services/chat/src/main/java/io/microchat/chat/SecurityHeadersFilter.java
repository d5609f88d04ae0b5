package io.microchat.chat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Security headers on everything the chat service serves, the browser app above all: a strict
 * Content-Security-Policy (scripts and styles only from this origin, no inline code, no eval; connections only
 * to this origin, its WebSocket and the auth API), no framing, no MIME sniffing, no referrer.
 */
final class SecurityHeadersFilter implements Filter {

    private final String authOrigin;

    SecurityHeadersFilter(String publicAuthUrl) {
        this.authOrigin = publicAuthUrl.isBlank() ? "" : " " + originOf(publicAuthUrl);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        String webSockets = host.isEmpty() || !host.matches("[A-Za-z0-9.:\\[\\]-]+") ? "" : " ws://" + host + " wss://" + host;
        res.header("Content-Security-Policy",
                   "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   + "connect-src 'self'" + webSockets + authOrigin + "; "
                   + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY");
        chain.proceed();
    }

    private static String originOf(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
