package com.poolsbridge.sandbox;

import java.util.Map;

/** An error response in the platform envelope (§2.2); thrown by operations, rendered by the dispatcher. */
final class ApiException extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final Map<String, String> headers;

    ApiException(int status, String type, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.headers = headers;
    }

    ApiException(int status, String type, String code, String message) {
        this(status, type, code, message, Map.of());
    }

    static ApiException invalid(String code, String message) {
        return new ApiException(400, "invalid_request", code, message);
    }

    static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "unauthorized", "Missing or invalid API key");
    }

    static ApiException forbidden(String code, String message) {
        return new ApiException(403, "forbidden", code, message);
    }

    static ApiException notFound() {
        return new ApiException(404, "not_found", "not_found", "Resource not found");
    }

    static ApiException conflict(String code, String message) {
        return new ApiException(409, "conflict", code, message);
    }

    static ApiException serverError() {
        return new ApiException(500, "server_error", "server_error", "An internal error occurred");
    }

    static ApiException rateLimited(String code, String message, Integer retryAfterSeconds) {
        return new ApiException(429, "rate_limited", code, message,
                retryAfterSeconds == null ? Map.of() : Map.of("Retry-After-short", String.valueOf(retryAfterSeconds)));
    }
}
