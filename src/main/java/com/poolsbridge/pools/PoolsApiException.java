package com.poolsbridge.pools;

/** A 0Pools error response, carrying the envelope fields a reply or dead letter must report. */
public class PoolsApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String requestId;
    private final String partnerMessage;

    public PoolsApiException(int status, String type, String code, String message, String requestId) {
        super("0Pools " + status + " " + type + "/" + code + (message == null ? "" : ": " + message)
                + (requestId == null ? "" : " (request_id " + requestId + ")"));
        this.status = status;
        this.type = type;
        this.code = code;
        this.requestId = requestId;
        this.partnerMessage = message;
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }
    public String requestId() { return requestId; }
    /** The envelope's human-readable message: for display and logs only, never parsed. */
    public String partnerMessage() { return partnerMessage; }

    /** 400, 401, 403, 404, 402, 501 and the velocity cap: retrying cannot help, the order is rejected. */
    public static class Rejected extends PoolsApiException {
        public Rejected(int status, String type, String code, String message, String requestId) {
            super(status, type, code, message, requestId);
        }
    }

    /** 409: the state changed under us; re-read the quote/trade, never retry blindly or with a new key. */
    public static class Conflict extends PoolsApiException {
        public Conflict(int status, String type, String code, String message, String requestId) {
            super(status, type, code, message, requestId);
        }
    }

    /** 429 per-IP throttle: wait what Retry-After-short says, then retry. */
    public static class RateLimited extends PoolsApiException {
        private final long retryAfterSeconds;
        public RateLimited(int status, String type, String code, String message, String requestId, long retryAfterSeconds) {
            super(status, type, code, message, requestId);
            this.retryAfterSeconds = retryAfterSeconds;
        }
        public long retryAfterSeconds() { return retryAfterSeconds; }
    }

    /** 5xx: transient; retried with backoff, writes with the same Idempotency-Key and body. */
    public static class ServerError extends PoolsApiException {
        public ServerError(int status, String type, String code, String message, String requestId) {
            super(status, type, code, message, requestId);
        }
    }
}
