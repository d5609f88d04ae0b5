package io.microchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsSession;

/**
 * Writes the text frames of one WebSocket connection: the frames that wait together go out in one socket write.
 *
 * <p>Helidon's {@code WsSession.send} writes and flushes each frame on its own, one {@code write} system call a
 * frame (on loopback the call also runs the receiver's TCP: a fifth of a chat instance's CPU at 5,000 messages a
 * second). Helidon's server session ({@code WsConnection}) writes through its connection's
 * {@link ConnectionContext}, which it also answers as its {@code socketContext()}; this class writes the frames it is
 * given through that writer as one buffer, encoded here (RFC 6455: an unmasked server frame, FIN set, opcode text,
 * the length in 7, 16 or 64 bits). Nothing waits for a second frame: a batch is what the outbox holds when its
 * writer gets to it, so a connection that receives little writes each frame as before, and one that receives much
 * writes fewer, larger buffers. A frame over a batch's size ({@link Outbox#BATCH_CHARS}) goes alone, whole, in a
 * buffer that lives for that write. Pings, pongs and the close frame still go through the session (under the same
 * lock).
 *
 * <p>Any other session (tests' sessions) is written frame by frame through {@code WsSession.send}, in fragments of
 * at most {@link Outbox#FRAGMENT_BYTES}: Helidon's per-connection send buffer grows to the largest frame written
 * through it and never shrinks.
 *
 * <p>Not thread-safe: the caller writes under its send lock, as every other write to the session.
 */
abstract class FrameWriter {

    /** The largest frame header: 2 bytes, and 8 of extended length. */
    private static final int MAX_HEADER = 10;

    /**
     * The writer for a session.
     *
     * @param session the session
     * @return a writer of whole batches for a session of Helidon's server (whose socket context is its
     *         connection's {@link ConnectionContext}), else one frame at a time
     */
    static FrameWriter of(WsSession session) {
        return session.socketContext() instanceof ConnectionContext context
                ? new Batched(context) : new FrameByFrame(session);
    }

    /**
     * Whether this writer writes a batch in one socket write.
     *
     * @return true for a session of Helidon's server
     */
    abstract boolean batches();

    /**
     * Writes frames, in order.
     *
     * @param frames the frames' texts
     */
    abstract void write(List<String> frames);

    /** The encoded frames, one after the other. */
    static byte[] encode(List<String> frames) {
        byte[][] payloads = new byte[frames.size()][];
        int size = 0;
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = frames.get(i).getBytes(StandardCharsets.UTF_8);
            size += headerLength(payloads[i].length) + payloads[i].length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] payload : payloads) {
            at = header(out, at, payload.length);
            System.arraycopy(payload, 0, out, at, payload.length);
            at += payload.length;
        }
        return out;
    }

    private static int headerLength(int length) {
        return length < 126 ? 2 : length < 1 << 16 ? 4 : MAX_HEADER;
    }

    private static int header(byte[] out, int at, int length) {
        out[at++] = (byte) 0x81; // FIN, text
        if (length < 126) {
            out[at++] = (byte) length;
        } else if (length < 1 << 16) {
            out[at++] = 126;
            out[at++] = (byte) (length >>> 8);
            out[at++] = (byte) length;
        } else {
            out[at++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) length >>> shift);
            }
        }
        return at;
    }

    /** Every batch in one write, through the connection's own writer. */
    private static final class Batched extends FrameWriter {
        private final ConnectionContext context;

        private Batched(ConnectionContext context) {
            this.context = context;
        }

        @Override
        boolean batches() {
            return true;
        }

        @Override
        void write(List<String> frames) {
            context.dataWriter().writeNow(BufferData.create(encode(frames)));
        }
    }

    /** Each frame through {@code WsSession.send}, in fragments. */
    private static final class FrameByFrame extends FrameWriter {
        private final WsSession session;

        private FrameByFrame(WsSession session) {
            this.session = session;
        }

        @Override
        boolean batches() {
            return false;
        }

        @Override
        void write(List<String> frames) {
            for (String frame : frames) {
                List<String> fragments = TextFragments.split(frame, Outbox.FRAGMENT_BYTES);
                int last = fragments.size() - 1;
                for (int i = 0; i <= last; i++) {
                    session.send(fragments.get(i), i == last);
                }
            }
        }
    }
}
