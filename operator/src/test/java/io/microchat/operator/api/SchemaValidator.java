package io.microchat.operator.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks an object against a CRD's {@code openAPIV3Schema} the way the API server does for the parts the MicroChat
 * schema uses: types, required properties, minimum and maximum, patterns, enums, arrays, maps, int-or-string.
 * Unknown fields are reported, as {@code kubectl apply --validate=strict} does (without it the API server drops
 * them silently).
 */
final class SchemaValidator {

    private SchemaValidator() {
    }

    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(path + ": null is not allowed");
            }
            return;
        }
        if (schema.has("anyOf")) {
            for (JsonNode option : schema.get("anyOf")) {
                List<String> attempt = new ArrayList<>();
                check(option, value, path, attempt);
                if (attempt.isEmpty()) {
                    return;
                }
            }
            if (!schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
                errors.add(path + ": matches none of anyOf");
                return;
            }
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(path + ": must be an integer or a string");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
        case "object" -> checkObject(schema, value, path, errors);
        case "array" -> {
            if (!value.isArray()) {
                errors.add(path + ": must be an array");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
        case "string" -> {
            if (!value.isTextual()) {
                errors.add(path + ": must be a string");
                return;
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                errors.add(path + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
            }
        }
        case "integer" -> {
            if (!value.isIntegralNumber()) {
                errors.add(path + ": must be an integer");
                return;
            }
            checkRange(schema, value, path, errors);
        }
        case "number" -> {
            if (!value.isNumber()) {
                errors.add(path + ": must be a number");
                return;
            }
            checkRange(schema, value, path, errors);
        }
        case "boolean" -> {
            if (!value.isBoolean()) {
                errors.add(path + ": must be true or false");
            }
        }
        default -> {
        }
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode allowed : schema.get("enum")) {
                found |= allowed.equals(value);
            }
            if (!found) {
                errors.add(path + ": '" + value.asText() + "' is not one of " + schema.get("enum"));
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": must be an object");
            return;
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + "." + required.asText() + ": required");
            }
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (properties != null && properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, errors);
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), fieldPath, errors);
            } else if (!preserve) {
                errors.add(fieldPath + ": unknown field");
            }
        }
    }

    private static void checkRange(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(path + ": must be at least " + schema.get("minimum").asText());
        }
        if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
            errors.add(path + ": must be at most " + schema.get("maximum").asText());
        }
    }
}
