package io.microchat.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads a request body as one JSON object, no larger than a limit, and its fields strictly by type: a field
 * that must be a string and holds an object (as in {@code {"username": {"$ne": null}}}) is refused, not coerced.
 */
final class JsonBody {

    private final JsonObject object;

    private JsonBody(JsonObject object) {
        this.object = object;
    }

    /**
     * Reads the body of a request.
     *
     * @param request  the request
     * @param maxBytes the largest body accepted
     * @return the body
     * @throws ApiException 400 when the body is too large, not JSON or not an object; 415 when it is not JSON by type
     */
    static JsonBody read(ServerRequest request, int maxBytes) {
        String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                                   "The body must be JSON (Content-Type: application/json).");
        }
        if (request.headers().contentLength().orElse(0) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes;
        try (InputStream in = request.content().inputStream()) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "The body could not be read.");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (JsonReader reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw ApiException.badRequest("malformed_json", "The body must be a JSON object.");
            }
            return new JsonBody(value.asJsonObject());
        } catch (JsonException e) {
            throw ApiException.badRequest("malformed_json", "The body is not valid JSON.");
        }
    }

    /**
     * Reads the body when there is one: a request without a body (no {@code Content-Type}, no content) is an
     * empty object; with one, the rules of {@link #read} apply.
     *
     * @param request  the request
     * @param maxBytes the largest body accepted
     * @return the body
     */
    static JsonBody readOptional(ServerRequest request, int maxBytes) {
        if (!request.headers().contains(HeaderNames.CONTENT_TYPE) && !request.content().hasEntity()) {
            return new JsonBody(JsonValue.EMPTY_JSON_OBJECT);
        }
        if (!request.headers().contains(HeaderNames.CONTENT_TYPE)
                && request.headers().contentLength().orElse(-1) == 0) {
            return new JsonBody(JsonValue.EMPTY_JSON_OBJECT);
        }
        return read(request, maxBytes);
    }

    /**
     * A field that may be absent (or null), else a string.
     *
     * @param name the field
     * @return its value, or null
     * @throws ApiException 400 {@code invalid_type}
     */
    String optionalString(String name) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badRequest("invalid_type", "The field '" + name + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    /**
     * A field that must be present and a string.
     *
     * @param name the field
     * @return its value
     * @throws ApiException 400 {@code missing_field} or {@code invalid_type}
     */
    String requiredString(String name) {
        JsonValue value = object.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiException.badRequest("missing_field", "The field '" + name + "' is required.");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw ApiException.badRequest("invalid_type", "The field '" + name + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.badRequest("body_too_large", "The body must not be larger than " + maxBytes + " bytes.");
    }
}
