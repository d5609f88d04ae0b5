package io.microchat.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * Rotation of the key that signs access tokens. Annotate the MicroChat with {@code microchat.io/rotate-signing-key}
 * (any new value) to rotate now.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SigningKeySpec {

    @JsonPropertyDescription("How long a key signs before the operator rotates it, as an ISO-8601 duration "
                             + "(1 day to 365 days); the old key stays published until its tokens expired.")
    @Pattern("^P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?)?$")
    @Default("P30D")
    public String rotationPeriod = "P30D";
}
