package io.microchat.chat;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.microchat.protocol.ErrorCode;

/**
 * The WebSocket endpoint {@code /ws}, one instance per connection: checks the {@code Origin} at the upgrade,
 * assembles frames within the size limit ({@link FrameAssembler}), and hands whole frames to the {@link ChatHub}.
 */
final class ChatEndpoint implements WsListener {

    /**
     * A frame at least this long is followed by a ping (see {@link Connection#releaseLastRead}): an {@code auth} or
     * {@code reauth} with its token, a long message; not the small frames of a busy sender.
     */
    static final int RELEASE_READ_AFTER = 512;

    private final ChatHub hub;
    private final ChatSettings.Limits limits;
    private final Set<String> allowedOrigins;
    private final ChatMetrics metrics;
    private final OutboxBudgets budgets;
    private final FrameAssembler assembler;
    private Connection connection;

    /**
     * The endpoint of one connection.
     *
     * @param hub            the hub
     * @param limits         the limits
     * @param allowedOrigins browser origins allowed besides the page's own
     * @param metrics        metrics
     * @param budgets        the instance's outbox budgets
     */
    ChatEndpoint(ChatHub hub, ChatSettings.Limits limits, Set<String> allowedOrigins, ChatMetrics metrics,
                 OutboxBudgets budgets) {
        this.hub = hub;
        this.limits = limits;
        this.allowedOrigins = allowedOrigins;
        this.metrics = metrics;
        this.budgets = budgets;
        this.assembler = new FrameAssembler(limits.maxFrameBytes());
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (hub.isDraining()) {
            throw new WsUpgradeException("server draining");
        }
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        String host = headers.first(HeaderNames.HOST).orElse("");
        if (origin.isPresent() && !originAllowed(origin.get(), host)) {
            metrics.rejected("origin_forbidden");
            // Helidon answers a RequestException with its status; a WsUpgradeException would become a 404
            throw RequestException.builder().type(DirectHandler.EventType.FORBIDDEN)
                    .message("WebSocket origin not allowed").build();
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        connection = new Connection(session, metrics, budgets, limits.messagesPerSecond(), limits.burst());
        hub.opened(connection);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        switch (assembler.add(text, last)) {
        case FrameAssembler.Assembled.Whole(String whole) -> {
            if (handledOnReader(whole)) {
                hub.onFrame(connection, whole);
            } else {
                offReader(() -> hub.onFrame(connection, whole));
            }
            if (whole.length() >= RELEASE_READ_AFTER) {
                connection.releaseLastRead();
            }
        }
        case FrameAssembler.Assembled.TooLarge tooLarge -> hub.reject(
                connection, ErrorCode.FRAME_TOO_LARGE,
                "A frame must not be larger than " + limits.maxFrameBytes() + " bytes.");
        case FrameAssembler.Assembled.Partial partial -> {
            // more fragments follow
        }
        }
    }

    /**
     * Whether a frame is handled on the reading thread itself: the frequent ones that do not wait on the store
     * ({@code send} hands the message to the store's batcher, {@code received} marks asynchronously, {@code ping}).
     * A frame in another key order is handled off the reader, which is only slower.
     */
    private static boolean handledOnReader(String frame) {
        return frame.startsWith("{\"type\":\"send\"") || frame.startsWith("{\"type\":\"received\"")
               || frame.startsWith("{\"type\":\"ping\"");
    }

    /**
     * Handles a frame on a virtual thread of its own while the reading thread waits for it, so frames stay in order.
     * {@code auth}, {@code reauth}, history and conversation requests wait deep in the MongoDB driver and on Redis,
     * and a virtual thread keeps the stack chunk of its deepest wait for good (the JVM reuses it, never shrinks it):
     * about 10 KB against the 4 KB Helidon's idle read needs, on every connection that ever authenticated. Waiting
     * here, the reader's stack stays shallow (docs/benchmark.md, "Memory per idle connection").
     *
     * <p>An interrupt of the reader ({@link Outbox} cuts a stuck socket that way) does not stop the wait: it is kept,
     * and the reader's next socket read closes the socket, as it would have without the helper.
     */
    private static void offReader(Runnable task) {
        Thread handler = Thread.ofVirtual().name("ws-frame").start(task);
        boolean interrupted = false;
        while (true) {
            try {
                handler.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last) {
            hub.reject(connection, ErrorCode.UNSUPPORTED_FRAME, "Only text frames with JSON are accepted.");
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
        if (allowedOrigins.contains(origin) || allowedOrigins.contains("*")) {
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
}
