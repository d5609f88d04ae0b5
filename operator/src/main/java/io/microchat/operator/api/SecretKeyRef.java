package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the MicroChat's namespace. */
public class SecretKeyRef {

    @JsonPropertyDescription("The Secret's name.")
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    public String name;

    @JsonPropertyDescription("The key within the Secret.")
    @Required
    @Pattern("^[-._a-zA-Z0-9]+$")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
