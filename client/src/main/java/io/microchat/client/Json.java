package io.microchat.client;

import java.io.StringReader;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/** Small JSON helpers. */
final class Json {

    private Json() {
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
