/**
 * The MicroChat chat service: WebSocket messaging (1:1 and broadcast), presence, history and receipts, across
 * several instances routed through Redis, with every message stored in MongoDB before it is acknowledged.
 */
package io.microchat.chat;
