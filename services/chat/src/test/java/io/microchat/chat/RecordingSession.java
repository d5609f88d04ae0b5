package io.microchat.chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;

/**
 * A WebSocket session without a socket, for unit tests: it keeps the close codes; subclasses say what a text write
 * does.
 */
abstract class RecordingSession implements WsSession {

    final List<Integer> closes = new CopyOnWriteArrayList<>();
    volatile boolean terminated;

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        return this;
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        closes.add(code);
        return this;
    }

    @Override
    public WsSession terminate() {
        terminated = true;
        return this;
    }

    @Override
    public Optional<String> subProtocol() {
        return Optional.empty();
    }

    @Override
    public SocketContext socketContext() {
        return null;
    }
}
