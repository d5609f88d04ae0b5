package io.microchat.auth;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

class RegistrationTest {

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

    private static String newName() {
        return "reg_user" + NAMES.incrementAndGet();
    }

    @Test
    void registerReturnsTheUserWithoutTheHash() {
        String name = newName();
        var response = server.register(name, "correct horse battery");
        assertThat(response.body(), response.status(), is(201));
        var user = response.json();
        assertThat(user.getString("username"), is(name));
        assertThat(user.getString("id"), notNullValue());
        assertThat(user.getString("createdAt"), notNullValue());
        assertThat(user.containsKey("passwordHash"), is(false));
        assertThat(response.body().contains("pbkdf2"), is(false));
    }

    @Test
    void usernameIsUniqueRegardlessOfCase() {
        String name = newName();
        assertThat(server.register(name, "password-one").status(), is(201));
        var again = server.register(name.toUpperCase(), "password-two");
        assertThat(again.status(), is(409));
        assertThat(again.json().getString("error"), is("username_taken"));
        assertThat(again.json().getString("message"), containsString("taken"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "this_name_is_far_too_long_for_us_1", "has space", "emoji😀x", "semi;colon", "x/y"})
    void badUsernamesAreRefusedSayingWhichRule(String username) {
        var response = server.register(username, "long enough password");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_username"));
        assertThat(response.json().getString("message"), containsString("3 to 32"));
    }

    @Test
    void usernameRulesAreCaseInsensitiveAndAllowDotsDashesUnderscores() {
        assertThat(server.register("Mixed.Case-" + NAMES.incrementAndGet() + "_x", "long enough password").status(),
                   is(201));
    }

    @Test
    void shortPasswordIsRefused() {
        var response = server.register(newName(), "1234567");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_password"));
        assertThat(response.json().getString("message"), containsString("at least 8"));
    }

    @Test
    void longPasswordIsRefused() {
        var response = server.register(newName(), "p".repeat(129));
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_password"));
        assertThat(response.json().getString("message"), containsString("at most 128"));
    }

    @Test
    void passwordLengthCountsCharactersNotBytes() {
        assertThat(server.register(newName(), "ü".repeat(128)).status(), is(201));
    }

    @Test
    void malformedJsonIsRefused() {
        var response = server.post("/api/auth/register", "{\"username\": \"abc\",");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("malformed_json"));
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        var response = server.post("/api/auth/register", "[\"abc\", \"password\"]");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("malformed_json"));
    }

    @Test
    void missingFieldIsNamed() {
        var response = server.post("/api/auth/register", "{\"username\": \"someone\"}");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("missing_field"));
        assertThat(response.json().getString("message"), containsString("'password'"));
    }

    @Test
    void operatorObjectInPlaceOfStringIsRefused() {
        var response = server.post("/api/auth/register", "{\"username\": {\"$ne\": null}, \"password\": \"whatever1\"}");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_type"));
        assertThat(response.json().getString("message"), containsString("'username'"));
    }

    @Test
    void numberInPlaceOfStringIsRefused() {
        var response = server.post("/api/auth/register", "{\"username\": \"someone\", \"password\": 12345678}");
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("invalid_type"));
    }

    @Test
    void bodyOver16KiBIsRefused() {
        String body = AuthTestServer.credentials(newName(), "x".repeat(17 * 1024));
        var response = server.post("/api/auth/register", body);
        assertThat(response.status(), is(400));
        assertThat(response.json().getString("error"), is("body_too_large"));
    }

    @Test
    void nonJsonContentTypeIsRefused() {
        var response = server.post("/api/auth/register", "text/plain", AuthTestServer.credentials(newName(), "password1"));
        assertThat(response.status(), is(415));
        assertThat(response.json().getString("error"), is("unsupported_media_type"));
    }

    @Test
    void unknownEndpointIsJson404() {
        var response = server.get("/api/auth/nope");
        assertThat(response.status(), is(404));
        assertThat(response.json().getString("error"), is("not_found"));
    }
}
