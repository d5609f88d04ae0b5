package io.microchat.auth;

import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A registered user as the API shows it: never with the password hash.
 *
 * @param id        stable id
 * @param username  the name as the user chose it (unique regardless of case)
 * @param createdAt when the user registered
 */
record User(String id, String username, Instant createdAt) {

    JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("id", id)
                .add("username", username)
                .add("createdAt", createdAt.toString())
                .build();
    }
}
