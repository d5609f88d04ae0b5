package io.microchat.chat;

/**
 * The handlers of read markers and receipts, typing and settings (docs/protocol.md, "Read markers" to
 * "Last seen"), as the hub dispatches to them.
 *
 * @param receipts {@code read}
 * @param typing   {@code typing}
 * @param settings {@code settings}, and the settings {@code welcome} carries
 */
record Reads(ReadReceipts receipts, Typing typing, UserSettings settings) {
}
