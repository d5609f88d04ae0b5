package io.microchat.chat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * What the browser app asks the instance that served it, under {@code /api/chat}: where the auth API is (empty:
 * the same origin, as behind the Kubernetes ingress) and which instance it talks to.
 */
final class WebAppService implements HttpService {

    private final JsonObject config;

    WebAppService(String instanceId, String publicAuthUrl) {
        this.config = Json.createObjectBuilder()
                .add("authUrl", publicAuthUrl)
                .add("instance", instanceId)
                .add("webSocketPath", "/ws")
                .build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/config", this::config);
    }

    private void config(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store").send(config);
    }
}
