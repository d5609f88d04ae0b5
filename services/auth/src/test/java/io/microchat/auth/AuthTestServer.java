package io.microchat.auth;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.WebServer;
import io.microchat.devstack.EmbeddedMongo;
import io.microchat.devstack.TemporaryDirectory;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The real auth service on a free port, over a fresh embedded MongoDB-protocol store, and an HTTP client for it.
 */
final class AuthTestServer implements AutoCloseable {

    private final EmbeddedMongo mongo;
    private final DbClient db;
    private final WebServer server;
    private final TemporaryDirectory dataDir = TemporaryDirectory.create("auth-test");
    private final HttpClient http = HttpClient.newHttpClient();

    private AuthTestServer(Map<String, String> overrides) {
        mongo = EmbeddedMongo.inMemory().start();
        Map<String, String> settings = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "db.connection.url", mongo.uri("microchat"),
                "app.data-dir", dataDir.path().toString()));
        settings.putAll(overrides);
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(java.util.List.of(ConfigSources.create(settings), ConfigSources.classpath("application.yaml")))
                .build();
        db = DbClient.create(config.get("db"));
        server = Main.start(config, db);
    }

    static AuthTestServer start() {
        return new AuthTestServer(Map.of());
    }

    static AuthTestServer start(Map<String, String> overrides) {
        return new AuthTestServer(overrides);
    }

    com.mongodb.client.MongoDatabase database() {
        return db.unwrap(com.mongodb.client.MongoDatabase.class);
    }

    EmbeddedMongo mongo() {
        return mongo;
    }

    /** The development signing key the server generated in its data directory. */
    SigningKey signingKey() throws IOException, GeneralSecurityException {
        return SigningKey.fromPem(Files.readString(dataDir.path().resolve("jwt-signing-key.pem")));
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                            .header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * A POST with any headers (name, value, name, value...) and a JSON body, or none when body is null.
     */
    Response postWith(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** A CORS preflight for a POST to path from origin. */
    Response preflight(String path, String origin) {
        return send(HttpRequest.newBuilder(uri(path))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", origin)
                            .header("Access-Control-Request-Method", "POST")
                            .header("Access-Control-Request-Headers", "content-type, authorization"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response get(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET());
    }

    Response register(String username, String password) {
        return post("/api/auth/register", credentials(username, password));
    }

    Response login(String username, String password) {
        return post("/api/auth/login", credentials(username, password));
    }

    static String credentials(String username, String password) {
        return Json.createObjectBuilder().add("username", username).add("password", password).build().toString();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        db.close();
        mongo.stop();
        dataDir.close();
    }

    record Response(int status, String body, Map<String, java.util.List<String>> headers) {
        JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }
}
