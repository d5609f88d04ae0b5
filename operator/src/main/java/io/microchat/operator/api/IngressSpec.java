package io.microchat.operator.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How MicroChat is reached from outside: one host for the app, the auth API and the WebSocket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSpec {

    static final String HOST = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    @JsonPropertyDescription("The host name, e.g. chat.example.com.")
    @Required
    @Pattern(HOST)
    public String host;

    @JsonPropertyDescription("The IngressClass; the cluster default when absent.")
    public String className;

    @JsonPropertyDescription("More host names served the same way (the TLS certificate must cover them too).")
    @Size(max = 20)
    @ValidationRule(value = "self.all(h, h.matches(r'" + HOST + "'))",
                    message = "every extra host must be a DNS name such as chat.example.com")
    public List<String> extraHosts;

    @JsonPropertyDescription("Annotations on the Ingress, e.g. for cert-manager or the ingress controller; they win "
                             + "over the operator's WebSocket timeouts for ingress-nginx.")
    public Map<String, String> annotations;

    @JsonPropertyDescription("A Secret with the TLS certificate for the host; plain HTTP when absent.")
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String tlsSecretName;
}
