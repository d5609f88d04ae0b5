package io.microchat.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The auth API: register, log in, refresh, log out (here or everywhere), change the password.
 */
public final class AuthClient {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A client.
     *
     * @param base the auth service, e.g. {@code http://127.0.0.1:8081}
     */
    public AuthClient(URI base) {
        this.base = base;
    }

    /**
     * Registers a user.
     *
     * @param username the name
     * @param password the password
     * @return the user's id
     * @throws ApiException with the server's error code
     */
    public String register(String username, String password) {
        return post("/api/auth/register", Json.PROVIDER.createObjectBuilder().add("username", username)
                .add("password", password).build().toString(), null).getString("id");
    }

    /**
     * Logs in: starts a session on this device.
     *
     * @param username the name
     * @param password the password
     * @return the access token, with the session's refresh token
     * @throws ApiException with the server's error code
     */
    public Token login(String username, String password) {
        return token(post("/api/auth/login", Json.PROVIDER.createObjectBuilder().add("username", username)
                .add("password", password).add("device", "java-client").build().toString(), null));
    }

    /**
     * Exchanges the refresh token for a new access token and a new refresh token (the old one stops working).
     *
     * @param refreshToken the current refresh token
     * @return the new tokens
     * @throws ApiException {@code invalid_refresh_token}, {@code refresh_token_reused}, {@code refresh_conflict}...
     */
    public Token refresh(String refreshToken) {
        return token(post("/api/auth/refresh", refreshBody(refreshToken), null));
    }

    /**
     * Logs this session out: its tokens stop working and its chat connections are closed.
     *
     * @param refreshToken the session's refresh token
     */
    public void logout(String refreshToken) {
        post("/api/auth/logout", refreshBody(refreshToken), null);
    }

    /**
     * Logs every session of the user out, this one included.
     *
     * @param accessToken a current access token of the user
     * @return how many sessions ended
     */
    public int logoutEverywhere(String accessToken) {
        return post("/api/auth/logout-all", "{}", accessToken).getInt("sessionsEnded");
    }

    /**
     * Changes the password; every other session of the user ends.
     *
     * @param accessToken     a current access token
     * @param currentPassword the password now
     * @param newPassword     the new one
     * @return how many other sessions ended
     */
    public int changePassword(String accessToken, String currentPassword, String newPassword) {
        return post("/api/auth/password", Json.PROVIDER.createObjectBuilder().add("currentPassword", currentPassword)
                .add("newPassword", newPassword).build().toString(), accessToken).getInt("sessionsEnded");
    }

    /**
     * Registers when needed, then logs in.
     *
     * @param username the name
     * @param password the password
     * @return the access token
     */
    public Token registerOrLogin(String username, String password) {
        try {
            register(username, password);
        } catch (ApiException e) {
            if (!"username_taken".equals(e.code())) {
                throw e;
            }
        }
        return login(username, password);
    }

    private static String refreshBody(String refreshToken) {
        return Json.PROVIDER.createObjectBuilder().add("refreshToken", refreshToken).build().toString();
    }

    private static Token token(JsonObject body) {
        return new Token(body.getString("accessToken"), Instant.parse(body.getString("expiresAt")),
                         body.getJsonObject("user").getString("username"), body.getString("refreshToken", null),
                         body.getString("sessionId", null));
    }

    private JsonObject post(String path, String body, String accessToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            builder.header("Authorization", "Bearer " + accessToken);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject json = response.body().isEmpty() ? JsonValue.EMPTY_JSON_OBJECT : Json.parse(response.body());
            if (response.statusCode() >= 300) {
                throw new ApiException(response.statusCode(), json.getString("error", "error"),
                                       json.getString("message", response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("auth service unreachable at " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An access token, and the refresh token of its session.
     *
     * @param value        the JWT
     * @param expiresAt    when it expires
     * @param username     whose it is
     * @param refreshToken the session's refresh token (single use: a refresh returns the next one)
     * @param sessionId    the session
     */
    public record Token(String value, Instant expiresAt, String username, String refreshToken, String sessionId) {
    }

    /** An error answer of the auth API. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final String code;

        /**
         * An error.
         *
         * @param status  the HTTP status
         * @param code    the error code
         * @param message the message
         */
        public ApiException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        /**
         * The HTTP status.
         *
         * @return the status
         */
        public int status() {
            return status;
        }

        /**
         * The error code, e.g. {@code username_taken}.
         *
         * @return the code
         */
        public String code() {
            return code;
        }
    }
}
