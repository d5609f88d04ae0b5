package io.microchat.chat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * The WebSocket endpoint {@code /ws}, one instance per connection: checks the {@code Origin} at the upgrade,
 * assembles frames within the size limit, and hands whole frames to the {@link ChatHub}.
 */
final class ChatEndpoint implements WsListener {

    private final ChatHub hub;
    private Connection connection;

    ChatEndpoint(ChatHub hub) {
        this.hub = hub;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (hub.isDraining()) {
            throw new WsUpgradeException("server draining");
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        String host = headers.first(HeaderNames.HOST).orElse("");
        if (origin.isPresent() && !originAllowed(origin.get(), host)) {
            hub.metrics().rejected("origin_forbidden");
            // Helidon answers a RequestException with its status; a WsUpgradeException would become a 404
            throw RequestException.builder().type(DirectHandler.EventType.FORBIDDEN)
                    .message("WebSocket origin not allowed").build();
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        ChatSettings settings = hub.settings();
        connection = new Connection(session, hub.metrics(), hub.budgets(), settings.messagesPerSecond(), settings.burst());
        hub.opened(connection);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        int maxBytes = hub.settings().maxFrameBytes();
        String whole = connection.assemble(text, last, maxBytes);
        if (whole == null) {
            return;
        }
        if (whole == Connection.OVERSIZED || (whole.length() * 3 > maxBytes && utf8Length(whole) > maxBytes)) {
            hub.reject(connection, "frame_too_large", "A frame must not be larger than " + maxBytes + " bytes.", null);
            return;
        }
        hub.onFrame(connection, whole);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last) {
            hub.reject(connection, "unsupported_frame", "Only text frames with JSON are accepted.", null);
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        connection.pong(buffer);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (connection != null) {
            hub.closed(connection);
        }
    }

    /**
     * Same-origin pages (the app served by this host) and the configured origins may connect; anything else is a
     * cross-site WebSocket hijacking attempt. Clients that send no {@code Origin} (not browsers) are not affected.
     */
    private boolean originAllowed(String origin, String host) {
        if (hub.settings().allowedOrigins().contains(origin) || hub.settings().allowedOrigins().contains("*")) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
