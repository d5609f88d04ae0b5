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

/**
 * The auth API: register and log in.
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
        return post("/api/auth/register", username, password).getString("id");
    }

    /**
     * Logs in.
     *
     * @param username the name
     * @param password the password
     * @return the access token
     * @throws ApiException with the server's error code
     */
    public Token login(String username, String password) {
        JsonObject body = post("/api/auth/login", username, password);
        return new Token(body.getString("accessToken"), Instant.parse(body.getString("expiresAt")),
                         body.getJsonObject("user").getString("username"));
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

    private JsonObject post(String path, String username, String password) {
        String body = Json.PROVIDER.createObjectBuilder().add("username", username).add("password", password)
                .build().toString();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject json = Json.parse(response.body());
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
     * An access token.
     *
     * @param value     the JWT
     * @param expiresAt when it expires
     * @param username  whose it is
     */
    public record Token(String value, Instant expiresAt, String username) {
    }

    /** An error answer of the auth API. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final String code;

        ApiException(int status, String code, String message) {
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
