package io.microchat.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.security.jwt.jwk.JwkKeys;
import io.microchat.common.AuthenticatedUser;
import io.microchat.common.TokenVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class TokenTest {

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

    private static User registered() {
        String name = "token_user" + NAMES.incrementAndGet();
        var body = server.register(name, "password-123").json();
        return new User(body.getString("id"), body.getString("username"), Instant.parse(body.getString("createdAt")));
    }

    private static String login(User user) {
        return server.login(user.username(), "password-123").json().getString("accessToken");
    }

    @Test
    void meReturnsTheUserOfTheToken() {
        User user = registered();
        var response = server.get("/api/auth/me", "Bearer " + login(user));
        assertThat(response.body(), response.status(), is(200));
        assertThat(response.json().getString("id"), is(user.id()));
        assertThat(response.json().getString("username"), is(user.username()));
    }

    @Test
    void tokenVerifiesWithThePublishedKeySetAndCarriesIssuerAudienceAndExpiry() {
        User user = registered();
        var jwks = server.get("/api/auth/jwks");
        assertThat(jwks.status(), is(200));
        assertThat(jwks.json().getJsonArray("keys"), hasSize(1));
        var key = jwks.json().getJsonArray("keys").getJsonObject(0);
        assertThat(key.getString("kty"), is("RSA"));
        assertThat(key.getString("alg"), is("RS256"));
        assertThat(key.containsKey("d"), is(false));

        TokenVerifier verifier = new TokenVerifier(TokenVerifier.KeySource.of(JwkKeys.create(jwks.json())), "RS256",
                                                   "microchat", "microchat", Duration.ZERO, Clock.systemUTC());
        AuthenticatedUser principal = verifier.verify(login(user));
        assertThat(principal.userId(), is(user.id()));
        assertThat(principal.username(), is(user.username()));
    }

    @Test
    void missingAuthorizationIs401() {
        var response = server.get("/api/auth/me");
        assertThat(response.status(), is(401));
        assertThat(response.json().getString("error"), is("invalid_token"));
        assertThat(response.header("WWW-Authenticate"), startsWith("Bearer"));
    }

    @Test
    void otherSchemeIs401() {
        assertThat(server.get("/api/auth/me", "Basic dXNlcjpwYXNz").status(), is(401));
    }

    @Test
    void malformedTokenIs401() {
        assertThat(server.get("/api/auth/me", "Bearer not-a-jwt").status(), is(401));
        assertThat(server.get("/api/auth/me", "Bearer a.b.c").status(), is(401));
        assertThat(server.get("/api/auth/me", "Bearer ").status(), is(401));
    }

    @Test
    void expiredTokenIs401() throws Exception {
        User user = registered();
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String token = new TokenIssuer(server.signingKey(), "microchat", "microchat", Duration.ofHours(1), twoHoursAgo)
                .issue(user, "s-1").token();
        var response = server.get("/api/auth/me", "Bearer " + token);
        assertThat(response.status(), is(401));
        assertThat(response.json().getString("message"), containsString("expired"));
    }

    @Test
    void tokenSignedByAnotherKeyIs401() {
        User user = registered();
        String token = new TokenIssuer(SigningKey.generate(), "microchat", "microchat", Duration.ofHours(1),
                                       Clock.systemUTC()).issue(user, "s-1").token();
        assertThat(server.get("/api/auth/me", "Bearer " + token).status(), is(401));
    }

    @Test
    void tokenForAnotherAudienceIs401() throws Exception {
        User user = registered();
        String token = new TokenIssuer(server.signingKey(), "microchat", "someone-else", Duration.ofHours(1),
                                       Clock.systemUTC()).issue(user, "s-1").token();
        var response = server.get("/api/auth/me", "Bearer " + token);
        assertThat(response.status(), is(401));
        assertThat(response.json().getString("message"), containsString("audience"));
    }

    @Test
    void tamperedPayloadIs401() {
        User victim = registered();
        User attacker = registered();
        String[] parts = login(attacker).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(attacker.id(), victim.id());
        String forged = parts[0] + "." + b64(payload) + "." + parts[2];
        assertThat(server.get("/api/auth/me", "Bearer " + forged).status(), is(401));
    }

    @Test
    void algNoneIs401() throws Exception {
        User user = registered();
        String[] parts = login(user).split("\\.");
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + server.signingKey().keyId() + "\"}";
        assertThat(server.get("/api/auth/me", "Bearer " + b64(header) + "." + parts[1] + ".").status(), is(401));
        assertThat(server.get("/api/auth/me", "Bearer " + b64(header) + "." + parts[1] + "." + parts[2]).status(),
                   is(401));
    }

    @Test
    void hs256WithThePublicKeyAsSecretIs401() throws Exception {
        User user = registered();
        String[] parts = login(user).split("\\.");
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + server.signingKey().keyId() + "\"}";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(server.get("/api/auth/jwks").body().getBytes(StandardCharsets.UTF_8),
                                                     "HmacSHA256"));
        String signingInput = b64(header) + "." + parts[1];
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertThat(server.get("/api/auth/me", "Bearer " + signingInput + "." + signature).status(), is(401));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
