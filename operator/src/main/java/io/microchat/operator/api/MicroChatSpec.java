package io.microchat.operator.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

/** What a MicroChat installation should be. Every field has a default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MicroChatSpec {

    @JsonPropertyDescription("The auth service: registration, login, access tokens.")
    public AuthSpec auth = new AuthSpec();

    @JsonPropertyDescription("The chat service: WebSocket messaging, presence, history; also serves the browser app.")
    @Default("{}")
    public ChatSpec chat = new ChatSpec();

    @JsonPropertyDescription("Redis, for routing between chat pods and presence.")
    public RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("MongoDB, where users and every message are stored.")
    public MongoDbSpec mongodb = new MongoDbSpec();

    @JsonPropertyDescription("An Ingress for the app, the auth API and the WebSocket; none when absent.")
    public IngressSpec ingress;

    @JsonPropertyDescription("Prometheus monitoring.")
    public MonitoringSpec monitoring = new MonitoringSpec();

    @JsonPropertyDescription("Secrets for pulling the images of every pod the operator creates (auth, chat, Redis, "
                             + "MongoDB); the operator's default (the chart's imagePullSecrets) when absent, none "
                             + "when empty.")
    public List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("How long an access token is valid, as an ISO-8601 duration (5 minutes to 24 hours); "
                             + "clients renew it with their refresh token.")
    @Pattern("^PT([0-9]+H)?([0-9]+M)?([0-9]+S)?$")
    @Default("PT15M")
    @ValidationRule(value = "size(self) > 2 && duration(self.substring(2).lowerAscii()) >= duration('5m')"
                            + " && duration(self.substring(2).lowerAscii()) <= duration('24h')",
                    message = "spec.tokenLifetime must be between 5 minutes (PT5M) and 24 hours (PT24H)")
    public String tokenLifetime = "PT15M";

    @JsonPropertyDescription("Rotation of the key that signs access tokens.")
    public SigningKeySpec signingKeys = new SigningKeySpec();
}
