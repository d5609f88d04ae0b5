package io.microchat.operator.api;

/**
 * The CRD's CEL validation rules ({@code x-kubernetes-validations}) that several fields share: the API server
 * refuses a MicroChat breaking one on {@code kubectl apply}, with the rule's message. {@code CelRulesTest} evaluates
 * every rule of the generated CRD against valid and invalid specs. Iteration is over fixed lists and bounded
 * lists, so the API server's cost estimate stays small.
 */
final class Rules {

    /** The resources whose requests and limits the rules check. */
    static final String RESOURCE_NAMES = "['cpu', 'memory', 'ephemeral-storage']";

    static final String QUANTITIES = RESOURCE_NAMES + ".all(k, (!has(self.requests) || !(k in self.requests)"
                                     + " || isQuantity(string(self.requests[k]))) && (!has(self.limits)"
                                     + " || !(k in self.limits) || isQuantity(string(self.limits[k]))))";
    static final String QUANTITIES_MESSAGE = "cpu, memory and ephemeral-storage must be quantities such as 500m, 2 "
                                             + "or 1Gi";

    static final String REQUESTS_WITHIN_LIMITS = "!has(self.requests) || !has(self.limits) || " + RESOURCE_NAMES
                                                 + ".all(k, !(k in self.requests) || !(k in self.limits)"
                                                 + " || !isQuantity(string(self.requests[k]))"
                                                 + " || !isQuantity(string(self.limits[k]))"
                                                 + " || !quantity(string(self.requests[k]))"
                                                 + ".isGreaterThan(quantity(string(self.limits[k]))))";
    static final String REQUESTS_WITHIN_LIMITS_MESSAGE = "a request must not exceed its limit";

    static final String ENV_NAMED = "self.all(e, has(e.name) && size(e.name) > 0)";
    static final String ENV_NAMED_MESSAGE = "every env item needs a name";

    /**
     * The variables the operator sets; a spec may not override them (the same list as SpecValidator's).
     * {@code APP_JWT_LIFETIME} is {@code spec.tokenLifetime}: the signing-key rotation keeps an old key published for
     * that long, so auth must not issue tokens that live longer.
     */
    static final String ENV_NOT_RESERVED = "self.all(e, !has(e.name) || !(e.name in ['PORT', 'MONGODB_URI', "
                                           + "'REDIS_URL', 'AUTH_JWKS_URL', 'JWT_PRIVATE_KEY_FILE', "
                                           + "'JWT_PRIVATE_KEY', 'INSTANCE_ID', 'APP_JWT_LIFETIME']))";
    static final String ENV_NOT_RESERVED_MESSAGE = "env must not set PORT, MONGODB_URI, REDIS_URL, AUTH_JWKS_URL, "
                                                   + "JWT_PRIVATE_KEY_FILE, JWT_PRIVATE_KEY, INSTANCE_ID or "
                                                   + "APP_JWT_LIFETIME (spec.tokenLifetime): the operator manages them";

    /** The longest env list a component takes. */
    static final long MAX_ENV = 100;

    private Rules() {
    }
}
