package io.microchat.client;

import java.io.StringReader;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

/** Small JSON helpers. */
final class Json {

    /** Looked up once: the static {@code jakarta.json.Json} methods look the provider up on every call. */
    static final JsonProvider PROVIDER = JsonProvider.provider();

    private Json() {
    }

    static JsonObject parse(String text) {
        try (JsonReader reader = PROVIDER.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
