/**
 * The vocabulary of the MicroChat chat protocol (docs/protocol.md), shared by the chat service and the Java client:
 * {@link io.microchat.protocol.FrameType frame types}, {@link io.microchat.protocol.Field field names},
 * {@link io.microchat.protocol.ErrorCode error codes}, {@link io.microchat.protocol.CloseCode close codes},
 * {@link io.microchat.protocol.Rooms rooms}, {@link io.microchat.protocol.Groups group values} and
 * {@link io.microchat.protocol.ReconnectReason reconnect reasons}. Constants only: no dependencies, no behaviour.
 */
package io.microchat.protocol;
