package io.microchat.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Sessions over HTTP: refresh with rotation, reuse detection, concurrent refreshes, the browser's cookie, logout,
 * logout everywhere, password change, and every error of those endpoints.
 */
class SessionsTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String PASSWORD = "session-password";
    private static AuthTestServer server;

    @BeforeAll
    static void start() {
        server = AuthTestServer.start(Map.of("app.login-throttle.max-failures-per-address", "1000",
                                             "app.refresh.grace", "PT5S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String registered() {
        String name = "sess_user" + NAMES.incrementAndGet();
        assertThat(server.register(name, PASSWORD).status(), is(201));
        return name;
    }

    private static JsonObject login(String name) {
        var response = server.login(name, PASSWORD);
        assertThat(response.body(), response.status(), is(200));
        return response.json();
    }

    private static AuthTestServer.Response refresh(String refreshToken) {
        return server.post("/api/auth/refresh", "{\"refreshToken\": \"" + refreshToken + "\"}");
    }

    private static int me(String accessToken) {
        return server.get("/api/auth/me", "Bearer " + accessToken).status();
    }

    @Test
    void refreshRotatesTheTokenAndKeepsTheSession() {
        JsonObject first = login(registered());
        var refreshed = refresh(first.getString("refreshToken"));
        assertThat(refreshed.body(), refreshed.status(), is(200));
        JsonObject second = refreshed.json();
        assertThat(second.getString("refreshToken"), not(first.getString("refreshToken")));
        assertThat(second.getString("sessionId"), is(first.getString("sessionId")));
        assertThat(second.getString("accessToken"), not(first.getString("accessToken")));
        assertThat(refreshed.header("Cache-Control"), is("no-store"));
        assertThat(me(second.getString("accessToken")), is(200));
        // the new one works again
        assertThat(refresh(second.getString("refreshToken")).status(), is(200));
    }

    @Test
    void theRefreshTokenIsStoredOnlyAsAHash() {
        JsonObject login = login(registered());
        String token = login.getString("refreshToken");
        var stored = server.database().getCollection("refresh_tokens")
                .find(com.mongodb.client.model.Filters.eq("family", login.getString("sessionId"))).first();
        assertThat(stored.getString("_id"), is(RefreshTokens.hash(token)));
        assertThat(stored.toJson(), not(containsString(token)));
        assertThat(stored.containsKey("device"), is(true));
        assertThat(stored.containsKey("createdAt"), is(true));
        assertThat(stored.containsKey("lastUsedAt"), is(true));
    }

    @Test
    void reusingARotatedTokenEndsTheWholeSession() throws Exception {
        try (AuthTestServer strict = AuthTestServer.start(Map.of("app.refresh.grace", "PT0S"))) {
            assertThat(strict.register("reuse_user", PASSWORD).status(), is(201));
            JsonObject login = strict.login("reuse_user", PASSWORD).json();
            String stolen = login.getString("refreshToken");
            JsonObject rotated = strict.post("/api/auth/refresh", "{\"refreshToken\": \"" + stolen + "\"}").json();
            Thread.sleep(5);

            var reuse = strict.post("/api/auth/refresh", "{\"refreshToken\": \"" + stolen + "\"}");
            assertThat(reuse.status(), is(401));
            assertThat(reuse.json().getString("error"), is("refresh_token_reused"));
            // the legitimate holder's newer token and access token are dead too
            var newer = strict.post("/api/auth/refresh", "{\"refreshToken\": \""
                                                          + rotated.getString("refreshToken") + "\"}");
            assertThat(newer.status(), is(401));
            assertThat(newer.json().getString("error"), is("invalid_refresh_token"));
            assertThat(strict.get("/api/auth/me", "Bearer " + rotated.getString("accessToken")).status(), is(401));
            assertThat(securityEvents(strict, "refresh_reuse") >= 1, is(true));
        }
    }

    @Test
    void ofConcurrentRefreshesWithOneTokenExactlyOneWins() throws Exception {
        String token = login(registered()).getString("refreshToken");
        int parallel = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AuthTestServer.Response>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(parallel)) {
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return refresh(token);
                }));
            }
            go.countDown();
            List<AuthTestServer.Response> responses = new ArrayList<>();
            for (var answer : answers) {
                responses.add(answer.get(30, TimeUnit.SECONDS));
            }
            List<AuthTestServer.Response> winners = responses.stream().filter(r -> r.status() == 200).toList();
            assertThat(responses.stream().map(AuthTestServer.Response::status).toList().toString(),
                       winners.size(), is(1));
            for (var loser : responses) {
                if (loser.status() != 200) {
                    assertThat(loser.status(), is(409));
                    assertThat(loser.json().getString("error"), is("refresh_conflict"));
                    assertThat(loser.header("Retry-After"), is("1"));
                }
            }
            // a race is not a theft: the winner's session goes on
            assertThat(refresh(winners.getFirst().json().getString("refreshToken")).status(), is(200));
        }
    }

    @Test
    void unknownMissingAndMalformedRefreshTokensAreRefused() {
        var unknown = refresh("not-a-token-we-issued");
        assertThat(unknown.status(), is(401));
        assertThat(unknown.json().getString("error"), is("invalid_refresh_token"));
        var missing = server.postWith("/api/auth/refresh", null);
        assertThat(missing.status(), is(401));
        assertThat(missing.json().getString("error"), is("invalid_refresh_token"));
        var wrongType = server.post("/api/auth/refresh", "{\"refreshToken\": 42}");
        assertThat(wrongType.status(), is(400));
        assertThat(wrongType.json().getString("error"), is("invalid_type"));
        assertThat(server.post("/api/auth/refresh", "{").json().getString("error"), is("malformed_json"));
    }

    @Test
    void anIdleRefreshTokenExpires() throws Exception {
        try (AuthTestServer quick = AuthTestServer.start(Map.of("app.refresh.idle", "PT1S"))) {
            assertThat(quick.register("idle_user", PASSWORD).status(), is(201));
            String token = quick.login("idle_user", PASSWORD).json().getString("refreshToken");
            Thread.sleep(1_200);
            var expired = quick.post("/api/auth/refresh", "{\"refreshToken\": \"" + token + "\"}");
            assertThat(expired.status(), is(401));
            assertThat(expired.json().getString("message"), containsString("expired"));
        }
    }

    @Test
    void noSessionOutlivesItsAbsoluteLifetime() throws Exception {
        try (AuthTestServer quick = AuthTestServer.start(Map.of("app.refresh.lifetime", "PT2S"))) {
            assertThat(quick.register("abs_user", PASSWORD).status(), is(201));
            JsonObject login = quick.login("abs_user", PASSWORD).json();
            assertThat(java.time.Duration.between(java.time.Instant.now(),
                                                  java.time.Instant.parse(login.getString("refreshExpiresAt")))
                               .toSeconds() <= 2, is(true));
            String token = quick.post("/api/auth/refresh", "{\"refreshToken\": \""
                                                           + login.getString("refreshToken") + "\"}")
                    .json().getString("refreshToken");
            Thread.sleep(2_200);
            assertThat(quick.post("/api/auth/refresh", "{\"refreshToken\": \"" + token + "\"}").status(), is(401));
        }
    }

    @Test
    void aBrowserGetsTheRefreshTokenOnlyAsAStrictHttpOnlyCookie() {
        String name = registered();
        String origin = server.baseUrl();
        var login = server.postWith("/api/auth/login", AuthTestServer.credentials(name, PASSWORD), "Origin", origin);
        assertThat(login.status(), is(200));
        assertThat(login.json().containsKey("refreshToken"), is(false));
        String setCookie = login.header("Set-Cookie");
        assertThat(setCookie, startsWith(RefreshCookie.NAME + "="));
        assertThat(setCookie, containsString("Path=/api/auth"));
        assertThat(setCookie, containsString("HttpOnly"));
        assertThat(setCookie, containsString("SameSite=Strict"));
        assertThat(setCookie, not(containsString("Secure"))); // plain HTTP here
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        var refreshed = server.postWith("/api/auth/refresh", null, "Origin", origin, "Cookie", cookie);
        assertThat(refreshed.body(), refreshed.status(), is(200));
        assertThat(refreshed.json().containsKey("refreshToken"), is(false));
        String rotated = refreshed.header("Set-Cookie");
        assertThat(rotated.substring(0, rotated.indexOf(';')), not(cookie));

        // a page of another origin may not use it
        var foreign = server.postWith("/api/auth/refresh", null, "Origin", "http://127.0.0.1:1",
                                      "Cookie", rotated.substring(0, rotated.indexOf(';')));
        assertThat(foreign.status(), is(403));
        assertThat(foreign.json().getString("error"), is("origin_forbidden"));

        var logout = server.postWith("/api/auth/logout", null, "Origin", origin,
                                     "Cookie", rotated.substring(0, rotated.indexOf(';')));
        assertThat(logout.status(), is(204));
        assertThat(logout.header("Set-Cookie"), containsString("Expires=Thu, 1 Jan 1970"));
        assertThat(server.postWith("/api/auth/refresh", null, "Origin", origin,
                                   "Cookie", rotated.substring(0, rotated.indexOf(';'))).status(), is(401));
    }

    @Test
    void theAppOnAnotherOriginMayUseTheCookieAndNoOtherOriginMay() {
        String app = "http://127.0.0.1:8082";
        try (AuthTestServer cors = AuthTestServer.start(Map.of("app.cors.allowed-origins", app))) {
            var preflight = cors.preflight("/api/auth/refresh", app);
            assertThat(preflight.status(), is(204));
            assertThat(preflight.header("Access-Control-Allow-Origin"), is(app));
            assertThat(preflight.header("Access-Control-Allow-Credentials"), is("true"));
            assertThat(cors.preflight("/api/auth/refresh", "http://127.0.0.1:9999").status(), is(403));

            assertThat(cors.register("cors_user", PASSWORD).status(), is(201));
            var login = cors.postWith("/api/auth/login", AuthTestServer.credentials("cors_user", PASSWORD),
                                      "Origin", app);
            assertThat(login.header("Access-Control-Allow-Origin"), is(app));
            assertThat(login.header("Access-Control-Allow-Credentials"), is("true"));
            String cookie = login.header("Set-Cookie").substring(0, login.header("Set-Cookie").indexOf(';'));
            var refreshed = cors.postWith("/api/auth/refresh", null, "Origin", app, "Cookie", cookie);
            assertThat(refreshed.status(), is(200));
            String next = refreshed.header("Set-Cookie").substring(0, refreshed.header("Set-Cookie").indexOf(';'));
            // another port of the same host is the same site, so the browser would send the cookie: refused
            var sameSiteOtherOrigin = cors.postWith("/api/auth/refresh", null, "Origin", "http://127.0.0.1:9999",
                                                    "Cookie", next);
            assertThat(sameSiteOtherOrigin.status(), is(403));
            assertThat(sameSiteOtherOrigin.header("Access-Control-Allow-Origin"), nullValue());
            assertThat(cors.postWith("/api/auth/refresh", null, "Origin", app, "Cookie", next).status(), is(200));
        }
    }

    @Test
    void theCookieIsSecureWhenConfiguredOrBehindATlsProxy() {
        try (AuthTestServer proxied = AuthTestServer.start(Map.of("app.proxy.hops", "1"))) {
            assertThat(proxied.register("tls_user", PASSWORD).status(), is(201));
            var login = proxied.postWith("/api/auth/login", AuthTestServer.credentials("tls_user", PASSWORD),
                                         "Origin", proxied.baseUrl(), "X-Forwarded-Proto", "https",
                                         "X-Forwarded-For", "192.0.2.1");
            assertThat(login.header("Set-Cookie"), containsString("Secure"));
        }
    }

    @Test
    void logoutEndsThisSessionOnly() {
        String name = registered();
        JsonObject phone = login(name);
        JsonObject laptop = login(name);
        var logout = server.postWith("/api/auth/logout", null, "Authorization", "Bearer " + phone.getString("accessToken"));
        assertThat(logout.status(), is(204));
        assertThat(me(phone.getString("accessToken")), is(401));
        assertThat(refresh(phone.getString("refreshToken")).status(), is(401));
        assertThat(me(laptop.getString("accessToken")), is(200));
        assertThat(refresh(laptop.getString("refreshToken")).status(), is(200));
        // by refresh token, and again (idempotent)
        JsonObject tablet = login(name);
        String body = "{\"refreshToken\": \"" + tablet.getString("refreshToken") + "\"}";
        assertThat(server.post("/api/auth/logout", body).status(), is(204));
        assertThat(server.post("/api/auth/logout", body).status(), is(204));
        assertThat(me(tablet.getString("accessToken")), is(401));
    }

    @Test
    void logoutNeedsSomethingThatNamesTheSession() {
        var nothing = server.postWith("/api/auth/logout", null);
        assertThat(nothing.status(), is(401));
        assertThat(nothing.json().getString("error"), is("invalid_token"));
        assertThat(server.postWith("/api/auth/logout", null, "Authorization", "Bearer forged").status(), is(401));
    }

    @Test
    void logoutEverywhereEndsEverySession() {
        String name = registered();
        JsonObject one = login(name);
        JsonObject two = login(name);
        JsonObject three = login(name);
        var everywhere = server.postWith("/api/auth/logout-all", null,
                                         "Authorization", "Bearer " + two.getString("accessToken"));
        assertThat(everywhere.body(), everywhere.status(), is(200));
        assertThat(everywhere.json().getInt("sessionsEnded"), is(3));
        for (JsonObject session : List.of(one, two, three)) {
            assertThat(me(session.getString("accessToken")), is(401));
            assertThat(refresh(session.getString("refreshToken")).status(), is(401));
        }
        // a new login works at once
        assertThat(me(login(name).getString("accessToken")), is(200));
        var again = server.postWith("/api/auth/logout-all", null,
                                    "Authorization", "Bearer " + two.getString("accessToken"));
        assertThat(again.status(), is(401));
        assertThat(again.json().getString("error"), is("invalid_token"));
        assertThat(server.postWith("/api/auth/logout-all", null).status(), is(401));
    }

    @Test
    void passwordChangeEndsEveryOtherSession() {
        String name = registered();
        JsonObject other = login(name);
        JsonObject current = login(name);
        var change = server.postWith("/api/auth/password",
                                     "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": \"brand-new-pass\"}",
                                     "Authorization", "Bearer " + current.getString("accessToken"));
        assertThat(change.body(), change.status(), is(200));
        assertThat(change.json().getInt("sessionsEnded"), is(1));
        assertThat(me(other.getString("accessToken")), is(401));
        assertThat(refresh(other.getString("refreshToken")).status(), is(401));
        assertThat(me(current.getString("accessToken")), is(200));
        assertThat(refresh(current.getString("refreshToken")).status(), is(200));
        assertThat(server.login(name, PASSWORD).status(), is(401));
        assertThat(server.login(name, "brand-new-pass").status(), is(200));
    }

    @Test
    void passwordChangeErrors() {
        String name = registered();
        String token = login(name).getString("accessToken");
        String bearer = "Bearer " + token;
        var wrong = server.postWith("/api/auth/password",
                                    "{\"currentPassword\": \"not-it-at-all\", \"newPassword\": \"brand-new-pass\"}",
                                    "Authorization", bearer);
        assertThat(wrong.status(), is(401));
        assertThat(wrong.json().getString("error"), is("invalid_credentials"));
        var tooShort = server.postWith("/api/auth/password",
                                       "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": \"short\"}",
                                       "Authorization", bearer);
        assertThat(tooShort.status(), is(400));
        assertThat(tooShort.json().getString("error"), is("invalid_password"));
        var missing = server.postWith("/api/auth/password", "{\"newPassword\": \"brand-new-pass\"}",
                                      "Authorization", bearer);
        assertThat(missing.json().getString("error"), is("missing_field"));
        var anonymous = server.post("/api/auth/password",
                                    "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": \"brand-new-pass\"}");
        assertThat(anonymous.status(), is(401));
        assertThat(anonymous.json().getString("error"), is("invalid_token"));
        // the same throttle as login: five wrong current passwords, then 429 even for the right one
        for (int i = 0; i < 4; i++) {
            server.postWith("/api/auth/password",
                            "{\"currentPassword\": \"wrong-" + i + "\", \"newPassword\": \"brand-new-pass\"}",
                            "Authorization", bearer);
        }
        var throttled = server.postWith("/api/auth/password",
                                        "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": \"brand-new-pass\"}",
                                        "Authorization", bearer);
        assertThat(throttled.status(), is(429));
        assertThat(throttled.json().getString("error"), is("too_many_attempts"));
        assertThat(throttled.header("Retry-After"), not(nullValue()));
        assertThat(server.login(name, PASSWORD).status(), is(429));
    }

    @Test
    void securityEventsAreCounted() {
        String name = registered();
        server.login(name, "wrong-password-x");
        for (String event : List.of("login_failure", "login_throttled", "refresh_reuse", "session_revoked",
                                    "logout_everywhere", "password_change", "password_change_failure")) {
            assertThat(event, securityEvents(server, event) >= 0, is(true));
        }
        assertThat(securityEvents(server, "login_failure") >= 1, is(true));
    }

    @Test
    void securityEventsAreStructuredLinesWithoutSecrets() {
        try (SecurityLogCapture log = new SecurityLogCapture()) {
            List<String> lines = log.lines();
            String name = registered();
            server.login(name, "my-secret-guess");
            JsonObject login = login(name);
            String first = login.getString("refreshToken");
            String second = refresh(first).json().getString("refreshToken");
            server.postWith("/api/auth/logout-all", null, "Authorization", "Bearer " + login.getString("accessToken"));
            List<String> events = new ArrayList<>();
            for (String line : lines) {
                assertThat(line, startsWith("security_event {"));
                for (String secret : List.of("my-secret-guess", PASSWORD, first, second, login.getString("accessToken"),
                                             RefreshTokens.hash(first))) {
                    assertThat(line, not(containsString(secret)));
                }
                try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(
                        line.substring("security_event ".length())))) {
                    JsonObject event = reader.readObject();
                    if (name.equals(event.getString("username", ""))) {
                        events.add(event.getString("event"));
                        assertThat(event.getString("address"), is("127.0.0.1"));
                    }
                }
            }
            assertThat(events, is(List.of("login_failure", "logout_everywhere")));
        }
    }

    /** The count of an event (the registry is shared by every server of this JVM). */
    static double securityEvents(AuthTestServer target, String event) {
        String prefix = "auth_security_events_total{event=\"" + event + "\"";
        return target.get("/observe/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }
}
