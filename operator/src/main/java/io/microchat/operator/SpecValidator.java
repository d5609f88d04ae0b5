package io.microchat.operator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChatSpec;

/**
 * What the CRD's schema cannot say about a spec: rules across fields. A spec with problems is reported in the
 * status (phase Failed) and nothing is changed in the cluster until it is fixed; it never crash-loops anything.
 */
public final class SpecValidator {

    /** Variables the operator sets; a spec may not override them. */
    static final Set<String> RESERVED_ENV = Set.of("PORT", "MONGODB_URI", "REDIS_URL", "AUTH_JWKS_URL",
                                                   "JWT_PRIVATE_KEY_FILE", "JWT_PRIVATE_KEY", "INSTANCE_ID",
                                                   "MONGODB_PASSWORD", "MONGODB_OPERATOR_URI", "REDIS_PASSWORD",
                                                   "APP_JWT_LIFETIME");
    static final Duration MIN_TOKEN_LIFETIME = Duration.ofMinutes(5);
    static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(24);

    private SpecValidator() {
    }

    /**
     * The problems of a spec.
     *
     * @param spec the spec
     * @return one sentence per problem; empty when the spec is valid
     */
    public static List<String> problems(MicroChatSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.redis.mode == DataStoreMode.External && spec.redis.externalUrlSecret == null) {
            problems.add("spec.redis.externalUrlSecret is required when spec.redis.mode is External");
        }
        if (spec.redis.mode == DataStoreMode.CommunityOperator) {
            problems.add("spec.redis.mode CommunityOperator is for MongoDB only; use Managed or External");
        }
        if (spec.mongodb.mode == DataStoreMode.CommunityOperator && MongoDbCommunity.version(spec.mongodb) == null) {
            problems.add("spec.mongodb.image must end in a MongoDB version (such as mongo:7.0.14) in mode "
                         + "CommunityOperator, which asks that operator for that version: " + spec.mongodb.image);
        }
        if (spec.mongodb.mode == DataStoreMode.External && spec.mongodb.externalUriSecret == null) {
            problems.add("spec.mongodb.externalUriSecret is required when spec.mongodb.mode is External");
        }
        var autoscaling = spec.chat.autoscaling;
        if (autoscaling.minReplicas > autoscaling.maxReplicas) {
            problems.add("spec.chat.autoscaling.minReplicas (" + autoscaling.minReplicas
                         + ") must not exceed maxReplicas (" + autoscaling.maxReplicas + ")");
        }
        try {
            Duration lifetime = Duration.parse(spec.tokenLifetime);
            if (lifetime.compareTo(MIN_TOKEN_LIFETIME) < 0 || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
                problems.add("spec.tokenLifetime must be between 5 minutes and 24 hours, not " + spec.tokenLifetime);
            }
        } catch (DateTimeParseException | NullPointerException e) {
            problems.add("spec.tokenLifetime is not an ISO-8601 duration such as PT1H: " + spec.tokenLifetime);
        }
        checkRotationPeriod(spec.signingKeys.rotationPeriod, problems);
        checkImage("spec.auth.image", spec.auth.image, problems);
        checkImage("spec.chat.image", spec.chat.image, problems);
        checkResources("spec.auth.resources", spec.auth.resources, problems);
        checkResources("spec.chat.resources", spec.chat.resources, problems);
        checkResources("spec.redis.resources", spec.redis.resources, problems);
        checkResources("spec.mongodb.resources", spec.mongodb.resources, problems);
        checkEnv("spec.auth.env", spec.auth.env, problems);
        checkEnv("spec.chat.env", spec.chat.env, problems);
        return problems;
    }

    static final Duration MIN_ROTATION_PERIOD = Duration.ofDays(1);
    static final Duration MAX_ROTATION_PERIOD = Duration.ofDays(365);

    private static void checkRotationPeriod(String period, List<String> problems) {
        try {
            Duration duration = Duration.parse(period);
            if (duration.compareTo(MIN_ROTATION_PERIOD) < 0 || duration.compareTo(MAX_ROTATION_PERIOD) > 0) {
                problems.add("spec.signingKeys.rotationPeriod must be between 1 day and 365 days, not " + period);
            }
        } catch (DateTimeParseException | NullPointerException e) {
            problems.add("spec.signingKeys.rotationPeriod is not an ISO-8601 duration such as P30D: " + period);
        }
    }

    private static void checkImage(String field, String image, List<String> problems) {
        if (image != null && (image.isBlank() || image.chars().anyMatch(Character::isWhitespace))) {
            problems.add(field + " is not an image reference: '" + image + "'");
        }
    }

    private static void checkResources(String field, ResourceRequirements resources, List<String> problems) {
        if (resources == null) {
            return;
        }
        boolean parse = quantities(field + ".requests", resources.getRequests(), problems)
                        & quantities(field + ".limits", resources.getLimits(), problems);
        if (!parse || resources.getRequests() == null || resources.getLimits() == null) {
            return;
        }
        resources.getRequests().forEach((name, request) -> {
            Quantity limit = resources.getLimits().get(name);
            if (limit != null && request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                problems.add(field + ": the " + name + " request (" + request + ") exceeds its limit (" + limit + ")");
            }
        });
    }

    private static boolean quantities(String field, Map<String, Quantity> quantities, List<String> problems) {
        boolean parse = true;
        for (var entry : quantities == null ? Map.<String, Quantity>of().entrySet() : quantities.entrySet()) {
            try {
                entry.getValue().getNumericalAmount();
            } catch (IllegalArgumentException | ArithmeticException e) {
                problems.add(field + "." + entry.getKey() + " is not a quantity: " + entry.getValue());
                parse = false;
            }
        }
        return parse;
    }

    private static void checkEnv(String field, List<EnvVar> env, List<String> problems) {
        for (EnvVar variable : env) {
            if (variable.getName() == null || variable.getName().isBlank()) {
                problems.add(field + " has a variable without a name");
            } else if (RESERVED_ENV.contains(variable.getName())) {
                problems.add(field + " must not set " + variable.getName() + ": the operator manages it");
            }
        }
    }
}
