package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The CRD's {@code x-kubernetes-validations}, evaluated the way the API server does: schema defaults applied
 * first, each rule with {@code self} bound to the value at its place in the schema (every item of a list), a rule
 * skipped where its value is absent. CEL is Google's CEL for Java with the strings extension; the Kubernetes
 * quantity library is modelled by {@code isQuantity}, {@code quantity} (as its value, a double) and
 * {@code isGreaterThan}.
 */
final class CelRules {

    /** Kubernetes' quantity syntax (k8s.io/apimachinery resource.Quantity). */
    private static final Pattern QUANTITY = Pattern.compile(
            "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addFunctionDeclarations(
                    CelFunctionDecl.newFunctionDeclaration("isQuantity", CelOverloadDecl.newGlobalOverload(
                            "isQuantity_string", SimpleType.BOOL, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("quantity", CelOverloadDecl.newGlobalOverload(
                            "quantity_string", SimpleType.DOUBLE, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("isGreaterThan", CelOverloadDecl.newMemberOverload(
                            "quantity_isGreaterThan", SimpleType.BOOL, SimpleType.DOUBLE, SimpleType.DOUBLE)))
            .addFunctionBindings(
                    CelFunctionBinding.from("isQuantity_string", String.class, s -> QUANTITY.matcher(s).matches()),
                    CelFunctionBinding.from("quantity_string", String.class,
                                            s -> Quantity.getAmountInBytes(new Quantity(s)).doubleValue()),
                    CelFunctionBinding.from("quantity_isGreaterThan", Double.class, Double.class, (a, b) -> a > b))
            .build();

    /** A rule where the schema has it. */
    record Rule(String path, String expression, String message) {
    }

    private final JsonNode schema;
    private final List<Rule> rules = new ArrayList<>();

    /**
     * @param schema the CRD version's {@code openAPIV3Schema}
     */
    CelRules(JsonNode schema) {
        this.schema = schema;
        collect(schema, "");
    }

    List<Rule> rules() {
        return rules;
    }

    /**
     * Compiles a rule as the API server does when the CRD is created.
     *
     * @param rule the rule
     * @return the checked syntax tree
     * @throws Exception when the rule does not compile
     */
    static CelAbstractSyntaxTree compile(Rule rule) throws Exception {
        return CEL.compile(rule.expression()).getAst();
    }

    /**
     * The messages of the rules a resource breaks.
     *
     * @param resource the MicroChat, as the client sends it
     * @return the messages; empty when admitted
     * @throws Exception when a rule cannot be evaluated
     */
    List<String> violations(JsonNode resource) throws Exception {
        JsonNode defaulted = defaulted(resource);
        List<String> messages = new ArrayList<>();
        for (Rule rule : rules) {
            for (JsonNode value : at(defaulted, rule.path())) {
                Object self = toCel(value, schemaAt(rule.path()));
                Object result = CEL.createProgram(compile(rule)).eval(Map.of("self", self));
                if (!Boolean.TRUE.equals(result)) {
                    messages.add(rule.message());
                }
            }
        }
        return messages;
    }

    /**
     * A resource as the API server stores it: the schema's defaults filled in.
     *
     * @param resource the resource as sent
     * @return a defaulted copy
     */
    JsonNode defaulted(JsonNode resource) {
        JsonNode defaulted = resource.deepCopy();
        applyDefaults(schema, defaulted);
        return defaulted;
    }

    private void collect(JsonNode node, String path) {
        node.path("x-kubernetes-validations").forEach(
                v -> rules.add(new Rule(path, v.get("rule").asText(), v.get("message").asText())));
        node.path("properties").fields().forEachRemaining(f -> collect(f.getValue(), path + "/" + f.getKey()));
        if (node.has("items")) {
            collect(node.get("items"), path + "/[]");
        }
    }

    /** The API server's defaulting: a property's default where it is absent from an object that is present. */
    private static void applyDefaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            schema.path("properties").fields().forEachRemaining(f -> {
                if (!object.has(f.getKey()) && f.getValue().has("default")) {
                    object.set(f.getKey(), f.getValue().get("default").deepCopy());
                }
                if (object.has(f.getKey())) {
                    applyDefaults(f.getValue(), object.get(f.getKey()));
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(item -> applyDefaults(schema.get("items"), item));
        }
    }

    private static List<JsonNode> at(JsonNode root, String path) {
        List<JsonNode> values = new ArrayList<>(List.of(root));
        for (String segment : path.isEmpty() ? new String[0] : path.substring(1).split("/")) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode value : values) {
                if (segment.equals("[]")) {
                    value.forEach(next::add);
                } else if (value.has(segment) && !value.get(segment).isNull()) {
                    next.add(value.get(segment));
                }
            }
            values = next;
        }
        return values;
    }

    private JsonNode schemaAt(String path) {
        JsonNode node = schema;
        for (String segment : path.isEmpty() ? new String[0] : path.substring(1).split("/")) {
            node = segment.equals("[]") ? node.path("items") : node.path("properties").path(segment);
        }
        return node;
    }

    /**
     * A value as CEL sees it. An int-or-string value (a quantity) is handed over as its text: the API server types
     * it {@code dyn} and picks {@code string()}'s overload at run time, while this library's checker binds
     * {@code string()} on a {@code dyn} to the string overload only; the rules see the same text either way.
     */
    private static Object toCel(JsonNode node, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return node.asText();
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue(), schema.path("properties").has(
                    f.getKey()) ? schema.path("properties").path(f.getKey()) : schema.path("additionalProperties"))));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item, schema.path("items"))));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
