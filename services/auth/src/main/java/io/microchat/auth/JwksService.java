package io.microchat.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

/**
 * The public key set (JWKS, RFC 7517) at {@code /api/auth/jwks}: every published key (during a rotation, more than
 * one). Chat pods fetch it once, cache it, verify tokens locally, and fetch it again on an unknown key id.
 */
final class JwksService implements HttpService {

    private final JsonObject keySet;

    JwksService(SigningKeys keys) {
        this.keySet = keys.jwks();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/jwks", this::keys);
    }

    private void keys(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300").send(keySet);
    }
}
