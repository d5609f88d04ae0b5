package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** How MicroChat is reached from outside: one host for the app, the auth API and the WebSocket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSpec {

    @JsonPropertyDescription("The host name, e.g. chat.example.com.")
    @Required
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String host;

    @JsonPropertyDescription("The IngressClass; the cluster default when absent.")
    public String className;

    @JsonPropertyDescription("A Secret with the TLS certificate for the host; plain HTTP when absent.")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String tlsSecretName;
}
