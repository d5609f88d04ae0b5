package io.microchat.auth;

import java.util.Map;

import io.helidon.http.Status;

/**
 * A request that ends in an error response {@code {"error": code, "message": message}} with the given status.
 */
final class ApiException extends RuntimeException {

    private final Status status;
    private final String code;
    private final Map<String, String> headers;

    ApiException(Status status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(Status status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    Status status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(Status.BAD_REQUEST_400, code, message);
    }
}
