package io.microchat.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

class LoginTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static AuthTestServer server;

    @BeforeAll
    static void start() {
        // every test comes from 127.0.0.1: the per-address limit has a test of its own
        server = AuthTestServer.start(java.util.Map.of("app.login-throttle.max-failures-per-address", "1000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String registered(String password) {
        String name = "login_user" + NAMES.incrementAndGet();
        assertThat(server.register(name, password).status(), is(201));
        return name;
    }

    @Test
    void loginReturnsAnAccessTokenForFifteenMinutesAndARefreshToken() {
        String name = registered("s3cret-password");
        var response = server.login(name, "s3cret-password");
        assertThat(response.body(), response.status(), is(200));
        var body = response.json();
        assertThat(body.getString("accessToken"), not(emptyString()));
        assertThat(body.getString("tokenType"), is("Bearer"));
        assertThat(body.getJsonNumber("expiresIn").longValue(), is(900L));
        Instant expiresAt = Instant.parse(body.getString("expiresAt"));
        assertThat(Duration.between(Instant.now(), expiresAt).toMinutes(), allOf(greaterThanOrEqualTo(14L),
                                                                                 lessThanOrEqualTo(15L)));
        assertThat(body.getString("refreshToken").length(), greaterThanOrEqualTo(43));
        assertThat(body.getString("sessionId"), not(emptyString()));
        Instant refreshExpiresAt = Instant.parse(body.getString("refreshExpiresAt"));
        assertThat(Duration.between(Instant.now(), refreshExpiresAt).toDays(), is(13L));
        assertThat(body.getJsonObject("user").getString("username"), is(name));
        assertThat(response.header("Cache-Control"), is("no-store"));
    }

    @Test
    void loginIgnoresTheCaseOfTheUsername() {
        String name = registered("s3cret-password");
        assertThat(server.login(name.toUpperCase(), "s3cret-password").status(), is(200));
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSame() {
        String name = registered("right-password");
        var wrongPassword = server.login(name, "wrong-password");
        var unknownUser = server.login("nobody_" + NAMES.incrementAndGet(), "wrong-password");
        assertThat(wrongPassword.status(), is(401));
        assertThat(unknownUser.status(), is(401));
        assertThat(unknownUser.body(), is(wrongPassword.body()));
        assertThat(wrongPassword.json().getString("error"), is("invalid_credentials"));
    }

    @Test
    void unknownUserCostsAboutAsMuchTimeAsAWrongPassword() {
        long[] wrong = new long[3];
        long[] unknown = new long[3];
        for (int i = 0; i < 3; i++) {
            String name = registered("right-password");
            wrong[i] = timed(() -> server.login(name, "wrong-password"));
            unknown[i] = timed(() -> server.login("ghost_" + NAMES.incrementAndGet(), "wrong-password"));
        }
        long wrongMedian = median(wrong);
        long unknownMedian = median(unknown);
        // Both paths run the full PBKDF2 work; an unknown user must not answer visibly faster.
        assertThat(unknownMedian * 2, greaterThan(wrongMedian));
        assertThat(unknownMedian, lessThan(wrongMedian * 2));
    }

    @Test
    void sixthAttemptAfterFiveFailuresInAMinuteIsThrottled() {
        String name = registered("right-password");
        for (int i = 0; i < 5; i++) {
            assertThat(server.login(name, "wrong-password-" + i).status(), is(401));
        }
        var throttled = server.login(name, "right-password");
        assertThat(throttled.status(), is(429));
        assertThat(throttled.json().getString("error"), is("too_many_attempts"));
        int retryAfter = Integer.parseInt(throttled.header("Retry-After"));
        assertThat(retryAfter, allOf(greaterThan(0), lessThanOrEqualTo(60)));
    }

    @Test
    void throttlingOneUsernameLeavesOthersAlone() {
        String victim = registered("right-password");
        String other = registered("other-password");
        for (int i = 0; i < 6; i++) {
            server.login(victim, "wrong");
        }
        assertThat(server.login(victim, "right-password").status(), is(429));
        assertThat(server.login(other, "other-password").status(), is(200));
    }

    @Test
    void throttlingAlsoAppliesToUnknownUsernames() {
        String ghost = "ghost_" + NAMES.incrementAndGet();
        for (int i = 0; i < 5; i++) {
            assertThat(server.login(ghost, "guess-" + i).status(), is(401));
        }
        assertThat(server.login(ghost, "guess-6").status(), is(429));
    }

    @Test
    void twelveWrongPasswordsInParallelGetAtMostFiveChecks() throws Exception {
        String name = registered("right-password");
        int parallel = 12;
        var start = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(parallel)) {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return server.login(name, "wrong-password-" + n).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses.toString(), statuses.stream().filter(s -> s == 401).count(), lessThanOrEqualTo(5L));
            assertThat(statuses.toString(), statuses.stream().filter(s -> s == 429).count(), greaterThanOrEqualTo(7L));
        }
        // and the right password is refused too until the window has passed
        assertThat(server.login(name, "right-password").status(), is(429));
    }

    @Test
    void aSuccessfulLoginDoesNotCountAsAFailure() {
        String name = registered("right-password");
        for (int i = 0; i < 4; i++) {
            assertThat(server.login(name, "wrong-password").status(), is(401));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(server.login(name, "right-password").status(), is(200));
        }
        assertThat(server.login(name, "wrong-password").status(), is(401));
        assertThat(server.login(name, "right-password").status(), is(429));
    }

    @Test
    void oneAddressTryingManyUsernamesIsThrottledToo() {
        try (AuthTestServer strict = AuthTestServer.start(java.util.Map.of(
                "app.login-throttle.max-failures-per-address", "8"))) {
            assertThat(strict.register("addr_victim", "right-password").status(), is(201));
            for (int i = 0; i < 8; i++) {
                assertThat(strict.login("addr_guess" + i, "wrong-password").status(), is(401));
            }
            var throttled = strict.login("addr_victim", "right-password");
            assertThat(throttled.status(), is(429));
            assertThat(throttled.json().getString("message"), org.hamcrest.Matchers.containsString("address"));
        }
    }

    @Test
    void behindATrustedProxyTheForwardedAddressCounts() {
        try (AuthTestServer proxied = AuthTestServer.start(java.util.Map.of(
                "app.login-throttle.max-failures-per-address", "3", "app.proxy.hops", "1"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(proxied.postWith("/api/auth/login", AuthTestServer.credentials("fwd_a" + i, "wrong-pass"),
                                            "X-Forwarded-For", "203.0.113.7").status(), is(401));
            }
            assertThat(proxied.postWith("/api/auth/login", AuthTestServer.credentials("fwd_b", "wrong-pass"),
                                        "X-Forwarded-For", "203.0.113.7").status(), is(429));
            // another client behind the same proxy (whatever it wrote in front) is counted on its own
            assertThat(proxied.postWith("/api/auth/login", AuthTestServer.credentials("fwd_c", "wrong-pass"),
                                        "X-Forwarded-For", "203.0.113.7, 198.51.100.9").status(), is(401));
        }
    }

    @Test
    void loginValidatesItsBodyLikeRegistration() {
        var response = server.post("/api/auth/login", "{\"username\": {\"$gt\": \"\"}, \"password\": {\"$gt\": \"\"}}");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_type"));
        assertThat(server.post("/api/auth/login", "not json").json().getString("error"), is("malformed_json"));
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
