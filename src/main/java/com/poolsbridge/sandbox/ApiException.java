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
        return serverError(500, null);
    }

    /** 500, 502, 503 or 504; a 503 may carry the standard Retry-After header (a maintenance window). */
    static ApiException serverError(int status, Integer retryAfterSeconds) {
        String code = switch (status) {
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 504 -> "gateway_timeout";
            default -> "server_error";
        };
        return new ApiException(status, "server_error", code, "An internal error occurred",
                retryAfterSeconds == null ? Map.of() : Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** 429; {@code tier} names the Retry-After-{tier} header (none when retryAfterSeconds is null). */
    static ApiException rateLimited(String code, String message, String tier, Integer retryAfterSeconds) {
        return new ApiException(429, "rate_limited", code, message,
                retryAfterSeconds == null ? Map.of() : Map.of("Retry-After-" + tier, String.valueOf(retryAfterSeconds)));
    }

    /** The platform error envelope (§2.2); 5xx messages are scrubbed. */
    byte[] envelope(String requestId) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", type);
        m.put("code", code);
        m.put("message", status >= 500 ? "An internal error occurred" : getMessage());
        m.put("request_id", requestId);
        m.put("doc_url", null);
        m.put("statusCode", status);
        return Json.write(m);
    }
}
