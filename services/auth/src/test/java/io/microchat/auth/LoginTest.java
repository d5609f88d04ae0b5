package io.microchat.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
        server = AuthTestServer.start();
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
    void loginReturnsATokenThatExpiresInAnHour() {
        String name = registered("s3cret-password");
        var response = server.login(name, "s3cret-password");
        assertThat(response.body(), response.status(), is(200));
        var body = response.json();
        assertThat(body.getString("accessToken"), not(emptyString()));
        assertThat(body.getString("tokenType"), is("Bearer"));
        assertThat(body.getJsonNumber("expiresIn").longValue(), is(3600L));
        Instant expiresAt = Instant.parse(body.getString("expiresAt"));
        assertThat(Duration.between(Instant.now(), expiresAt).toMinutes(), allOf(greaterThanOrEqualTo(58L),
                                                                                 lessThanOrEqualTo(60L)));
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
