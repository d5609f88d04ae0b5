package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** What a MicroChat installation should be. Every field has a default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MicroChatSpec {

    @JsonPropertyDescription("The auth service: registration, login, access tokens.")
    public AuthSpec auth = new AuthSpec();

    @JsonPropertyDescription("The chat service: WebSocket messaging, presence, history; also serves the browser app.")
    public ChatSpec chat = new ChatSpec();

    @JsonPropertyDescription("Redis, for routing between chat pods and presence.")
    public RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("MongoDB, where users and every message are stored.")
    public MongoDbSpec mongodb = new MongoDbSpec();

    @JsonPropertyDescription("An Ingress for the app, the auth API and the WebSocket; none when absent.")
    public IngressSpec ingress;

    @JsonPropertyDescription("Prometheus monitoring.")
    public MonitoringSpec monitoring = new MonitoringSpec();

    @JsonPropertyDescription("How long an access token is valid, as an ISO-8601 duration (5 minutes to 24 hours).")
    @Pattern("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$")
    @Default("PT1H")
    public String tokenLifetime = "PT1H";

    @JsonPropertyDescription("Rotation of the key that signs access tokens.")
    public SigningKeySpec signingKeys = new SigningKeySpec();
}
