package io.microchat.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * Security events: one structured line each on the logger {@code io.microchat.security}
 * ({@code security_event {"event": ..., ...}}, JSON after the marker), counted in
 * {@code auth_security_events_total{event}}. The fields are who and from where (username, user id, session id,
 * client address, reason), never a password, token, hash or message.
 */
final class SecurityEvents {

    /** Every event this service reports; each is counted from zero so that alerts see a series at once. */
    enum Event {
        /** A wrong password, or an unknown username. */
        LOGIN_FAILURE(Level.INFO),
        /** A login or password change refused by the throttle. */
        LOGIN_THROTTLED(Level.WARNING),
        /** A refresh token that was rotated already came back: its session is revoked. */
        REFRESH_REUSE(Level.WARNING),
        /** A session ended: logout of one device, a reuse, a password change of another device. */
        SESSION_REVOKED(Level.INFO),
        /** Every session of a user ended at the user's request. */
        LOGOUT_EVERYWHERE(Level.INFO),
        /** A password changed; every other session ended. */
        PASSWORD_CHANGE(Level.INFO),
        /** A password change with a wrong current password. */
        PASSWORD_CHANGE_FAILURE(Level.INFO);

        private final Level level;
        final String tag = name().toLowerCase();

        Event(Level level) {
            this.level = level;
        }
    }

    private static final Logger LOGGER = Logger.getLogger("io.microchat.security");

    private final MeterRegistry registry;

    SecurityEvents(MeterRegistry registry) {
        this.registry = registry;
        for (Event event : Event.values()) {
            counter(event);
        }
    }

    /**
     * Logs and counts an event.
     *
     * @param event  what happened
     * @param fields what it concerns, in order: name, value, name, value...; null values are left out
     */
    void report(Event event, String... fields) {
        counter(event).increment();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                values.put(fields[i], fields[i + 1]);
            }
        }
        if (LOGGER.isLoggable(event.level)) {
            JsonObjectBuilder line = Json.createObjectBuilder().add("event", event.tag);
            values.forEach(line::add);
            LOGGER.log(event.level, "security_event " + line.build());
        }
    }

    private Counter counter(Event event) {
        return registry.getOrCreate(Counter.builder("auth.security.events")
                                            .description("Security events by kind")
                                            .tags(java.util.List.of(Tag.create("event", event.tag))));
    }
}
