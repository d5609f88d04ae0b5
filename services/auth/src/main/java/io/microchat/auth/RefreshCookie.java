package io.microchat.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The browser's refresh token: a cookie {@value #NAME} that scripts cannot read ({@code HttpOnly}), that the
 * browser sends only to the auth API ({@code Path=/api/auth}) and only from pages of the same site
 * ({@code SameSite=Strict}), and only over TLS ({@code Secure}) when the auth API is reached over TLS: the request
 * was, or the trusted proxy in front says so in {@code X-Forwarded-Proto}, or {@code app.refresh.secure}
 * says {@code always}.
 */
final class RefreshCookie {

    static final String NAME = "microchat_refresh";
    static final String PATH = "/api/auth";

    /** When the cookie carries {@code Secure}. */
    enum Secure {
        /** When the request came over TLS, directly or through a trusted proxy. */
        AUTO,
        /** Always: the browser then never sends it over plain HTTP. */
        ALWAYS,
        /** Never (plain-HTTP development only). */
        NEVER
    }

    private final Secure secure;
    private final boolean trustProxy;

    RefreshCookie(Secure secure, boolean trustProxy) {
        this.secure = secure;
        this.trustProxy = trustProxy;
    }

    Optional<String> read(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.COOKIE)) {
            return Optional.empty();
        }
        return req.headers().cookies().first(NAME).asOptional().filter(value -> !value.isBlank());
    }

    void set(ServerRequest req, ServerResponse res, String token, Instant expiresAt) {
        res.headers().addCookie(cookie(req, token)
                                        .maxAge(Duration.ofSeconds(Math.max(0, expiresAt.getEpochSecond()
                                                                               - Instant.now().getEpochSecond())))
                                        .build());
    }

    void clear(ServerRequest req, ServerResponse res) {
        res.headers().addCookie(cookie(req, "").expires(Instant.EPOCH).build());
    }

    private SetCookie.Builder cookie(ServerRequest req, String value) {
        return SetCookie.builder(NAME, value)
                .path(PATH)
                .httpOnly(true)
                .sameSite(SetCookie.SameSite.STRICT)
                .secure(isSecure(req));
    }

    private boolean isSecure(ServerRequest req) {
        return switch (secure) {
        case ALWAYS -> true;
        case NEVER -> false;
        case AUTO -> req.isSecure() || trustProxy && req.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(proto -> proto.equalsIgnoreCase("https")).orElse(false);
        };
    }
}
