/**
 * A Java client for MicroChat: {@link io.microchat.client.AuthClient} for registration and login,
 * {@link io.microchat.client.ChatClient} for the WebSocket protocol of docs/protocol.md.
 */
package io.microchat.client;
