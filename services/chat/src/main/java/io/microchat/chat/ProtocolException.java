package io.microchat.chat;

/**
 * A client frame that cannot be served: answered with an error frame carrying {@code code}; the connection stays
 * open.
 */
final class ProtocolException extends RuntimeException {

    private final String code;

    ProtocolException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
