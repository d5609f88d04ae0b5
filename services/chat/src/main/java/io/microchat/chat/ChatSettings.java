package io.microchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.helidon.config.Config;

/**
 * The chat service's limits and timings, from the {@code app} node of the configuration.
 *
 * @param maxTextLength     most characters in one message's text
 * @param maxFrameBytes     largest client frame
 * @param messagesPerSecond sends a user may make per second, over all their connections and instances
 * @param burst             sends a user may save up
 * @param authTimeout       how long a new connection has to authenticate
 * @param replayOverlap     how far before the client's last message id a replay starts (clock skew between pods)
 * @param replayLimit       most messages one replay sends; the rest come through history
 * @param allowedOrigins    browser origins allowed to open a WebSocket, besides the page's own
 * @param drainTimeout      how long a shutdown may take to drain
 */
record ChatSettings(int maxTextLength, int maxFrameBytes, int messagesPerSecond, int burst, Duration authTimeout,
                    Duration replayOverlap, int replayLimit, Set<String> allowedOrigins, Duration drainTimeout) {

    static ChatSettings from(Config app) {
        Config limits = app.get("limits");
        return new ChatSettings(limits.get("max-text-length").asInt().orElse(4000),
                                limits.get("max-frame-bytes").asInt().orElse(16 * 1024),
                                limits.get("messages-per-second").asInt().orElse(20),
                                limits.get("burst").asInt().orElse(40),
                                limits.get("auth-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                                app.get("replay.overlap").as(Duration.class).orElse(Duration.ofSeconds(30)),
                                app.get("replay.limit").asInt().orElse(2000),
                                Set.copyOf(origins(app.get("allowed-origins"))),
                                app.get("drain-timeout").as(Duration.class).orElse(Duration.ofSeconds(20)));
    }

    private static List<String> origins(Config node) {
        if (node.isList()) {
            return node.asList(String.class).orElse(List.of());
        }
        return node.asString().map(s -> List.of(s.split("\\s*,\\s*"))).orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).toList();
    }
}
