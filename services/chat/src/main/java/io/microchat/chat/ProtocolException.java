package io.microchat.chat;

/**
 * A client frame that cannot be served: answered with an error frame carrying {@code code} (and the frame's
 * {@code clientId} and {@code requestId}, when it had them); the connection stays open.
 */
final class ProtocolException extends RuntimeException {

    private final String code;
    private final String clientId;
    private final String requestId;

    ProtocolException(String code, String message) {
        this(code, message, null, null);
    }

    private ProtocolException(String code, String message, String clientId, String requestId) {
        super(message, null, false, false);
        this.code = code;
        this.clientId = clientId;
        this.requestId = requestId;
    }

    /**
     * The same error, naming the frame it answers (where it does not name one already).
     *
     * @param clientId  the frame's {@code clientId}, or null
     * @param requestId the frame's {@code requestId}, or null
     * @return the error
     */
    ProtocolException answering(String clientId, String requestId) {
        return new ProtocolException(code, getMessage(), this.clientId != null ? this.clientId : clientId,
                                     this.requestId != null ? this.requestId : requestId);
    }

    String code() {
        return code;
    }

    String clientId() {
        return clientId;
    }

    String requestId() {
        return requestId;
    }
}
