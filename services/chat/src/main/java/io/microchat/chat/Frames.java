package io.microchat.chat;

import java.io.StringReader;
import java.util.Collection;
import java.util.List;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The JSON frames of the chat protocol (docs/protocol.md): reading client frames strictly, writing server
 * frames. Every server frame is built once and sent as the same string to every recipient.
 */
final class Frames {

    /**
     * Looked up once: every static {@code Json.createXxx} call looks the provider up again, which costs several
     * times the JSON work itself on this hot path.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private Frames() {
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ProtocolException("malformed_json", "A frame must be a JSON object.");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new ProtocolException("malformed_json", "The frame is not valid JSON.");
        }
    }

    static String type(JsonObject frame) {
        return requiredString(frame, "type");
    }

    static String requiredString(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new ProtocolException("missing_field", "The field '" + field + "' is required.");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new ProtocolException("invalid_field", "The field '" + field + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    static String optionalString(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new ProtocolException("invalid_field", "The field '" + field + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    static int optionalInt(JsonObject frame, String field, int fallback, int min, int max) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (value.getValueType() != JsonValue.ValueType.NUMBER || !((JsonNumber) value).isIntegral()) {
            throw new ProtocolException("invalid_field", "The field '" + field + "' must be a whole number.");
        }
        int number = ((JsonNumber) value).intValue();
        if (number < min || number > max) {
            throw new ProtocolException("invalid_field",
                                        "The field '" + field + "' must be between " + min + " and " + max + ".");
        }
        return number;
    }

    static List<String> stringList(JsonObject frame, String field, int maxItems) {
        JsonValue value = frame.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new ProtocolException("missing_field", "The field '" + field + "' is required.");
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new ProtocolException("invalid_field", "The field '" + field + "' must be an array of strings.");
        }
        var array = value.asJsonArray();
        if (array.size() > maxItems) {
            throw new ProtocolException("invalid_field", "The field '" + field + "' holds at most " + maxItems + " items.");
        }
        return array.stream().map(item -> {
            if (item.getValueType() != JsonValue.ValueType.STRING) {
                throw new ProtocolException("invalid_field", "The field '" + field + "' must be an array of strings.");
            }
            return ((JsonString) item).getString();
        }).toList();
    }

    static String welcome(String userId, String username, String instance, Collection<String> online,
                          int maxText, int ratePerSecond, int burst) {
        return JSON.createObjectBuilder()
                .add("type", "welcome")
                .add("user", JSON.createObjectBuilder().add("id", userId).add("username", username))
                .add("instance", instance)
                .add("online", array(online))
                .add("limits", JSON.createObjectBuilder()
                        .add("maxTextLength", maxText)
                        .add("messagesPerSecond", ratePerSecond)
                        .add("burst", burst))
                .build().toString();
    }

    static String message(ChatMessage message) {
        return messageJson(message).add("type", "message").build().toString();
    }

    static JsonObjectBuilder messageJson(ChatMessage message) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", message.id())
                .add("from", message.from())
                .add("text", message.text())
                .add("ts", message.ts());
        if (message.isPrivate()) {
            json.add("to", message.to());
        } else {
            json.add("room", message.room());
        }
        if (message.deliveredAt() != null) {
            json.add("deliveredAt", message.deliveredAt());
        }
        return json;
    }

    static String sent(String clientId, String id, long ts) {
        return JSON.createObjectBuilder().add("type", "sent").add("clientId", clientId).add("id", id).add("ts", ts)
                .build().toString();
    }

    static String delivered(String id, String by, long ts) {
        return JSON.createObjectBuilder().add("type", "delivered").add("id", id).add("by", by).add("ts", ts)
                .build().toString();
    }

    static String presence(Collection<String> online, Collection<String> offline) {
        return JSON.createObjectBuilder().add("type", "presence").add("online", array(online))
                .add("offline", array(offline)).build().toString();
    }

    static String history(String requestId, List<ChatMessage> messages, String next) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        messages.forEach(m -> items.add(messageJson(m)));
        JsonObjectBuilder json = JSON.createObjectBuilder().add("type", "history").add("messages", items);
        if (requestId != null) {
            json.add("requestId", requestId);
        }
        if (next == null) {
            json.addNull("next");
        } else {
            json.add("next", next);
        }
        return json.build().toString();
    }

    static String conversations(String requestId, String userKey, List<ChatMessage> newest) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (ChatMessage message : newest) {
            String with = userKey.equals(message.fromKey()) ? message.to() : message.from();
            items.add(JSON.createObjectBuilder().add("with", with).add("last", messageJson(message)));
        }
        JsonObjectBuilder json = JSON.createObjectBuilder().add("type", "conversations").add("conversations", items);
        if (requestId != null) {
            json.add("requestId", requestId);
        }
        return json.build().toString();
    }

    /**
     * The end of a replay.
     *
     * @param count  messages replayed
     * @param before when truncated, the oldest id replayed (where a client pages back from); else null
     * @param after  the id the replay started after (null when it carried unconfirmed messages only); sent when
     *               truncated, for the pages
     * @return the frame
     */
    static String replayed(int count, String before, String after) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("type", "replayed").add("count", count)
                .add("truncated", before != null);
        if (before != null) {
            json.add("before", before);
            if (after != null) {
                json.add("after", after);
            }
        }
        return json.build().toString();
    }

    static String error(String code, String message, String clientId, String requestId) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("type", "error").add("code", code)
                .add("message", message);
        if (clientId != null) {
            json.add("clientId", clientId);
        }
        if (requestId != null) {
            json.add("requestId", requestId);
        }
        return json.build().toString();
    }

    /**
     * The answer to a send or request refused because the instance is past a bound of its queues.
     *
     * @param message          what happened, for people
     * @param clientId         the send's id, or null
     * @param requestId        the request's id, or null
     * @param retryAfterMillis when to try again
     * @return the frame
     */
    static String overloaded(String message, String clientId, String requestId, long retryAfterMillis) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("type", "error").add("code", "overloaded")
                .add("message", message).add("retryAfterMs", retryAfterMillis);
        if (clientId != null) {
            json.add("clientId", clientId);
        }
        if (requestId != null) {
            json.add("requestId", requestId);
        }
        return json.build().toString();
    }

    static String reconnect(String reason) {
        return JSON.createObjectBuilder().add("type", "reconnect").add("reason", reason).build().toString();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    private static JsonArrayBuilder array(Collection<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }
}
