package io.microchat.auth;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

class HealthAndMetricsTest {

    private static AuthTestServer server;

    @BeforeAll
    static void start() {
        server = AuthTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void readinessFollowsMongoDbWithoutARestart() throws InterruptedException {
        assertThat(server.get("/observe/health/ready").status(), is(200));
        assertThat(server.get("/observe/health/live").status(), is(200));

        server.mongo().stop();
        awaitStatus("/observe/health/ready", 503, Duration.ofSeconds(20));
        assertThat("liveness does not depend on the database", server.get("/observe/health/live").status(), is(200));
        var register = server.register("while_down", "password-123");
        assertThat(register.status(), is(503));
        assertThat(register.json().getString("error"), is("unavailable"));

        server.mongo().start();
        awaitStatus("/observe/health/ready", 200, Duration.ofSeconds(30));
        assertThat(server.register("after_recovery", "password-123").status(), is(201));
    }

    @Test
    void metricsAreInPrometheusFormat() {
        server.register("metrics_user", "password-123");
        server.login("metrics_user", "password-123");
        server.login("metrics_user", "wrong-password");
        var metrics = server.get("/observe/metrics");
        assertThat(metrics.status(), is(200));
        assertThat(metrics.header("Content-Type"), containsString("text/plain"));
        String text = metrics.body();
        assertThat(text, containsString("auth_http_requests_total{"));
        assertThat(text, containsString("route=\"/api/auth/login\""));
        assertThat(text, containsString("auth_registrations_total{"));
        assertThat(text, containsString("auth_logins_total{"));
        assertThat(text, containsString("outcome=\"success\""));
        assertThat(text, containsString("outcome=\"invalid_credentials\""));
        assertThat(text, containsString("auth_password_hash_seconds"));
    }

    private static void awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = server.get(path).status();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " stayed at " + last + ", expected " + status);
    }
}
