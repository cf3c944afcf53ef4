package com.poolsbridge.sandbox;

/**
 * A response the operation decided: status, the exact body bytes (kept as bytes so replays are byte-identical)
 * and, for an idempotent replay, the X-Request-Id of the original response (null: the current request's id).
 */
record Reply(int status, byte[] body, String requestId) {
    static Reply ok(Object body) {
        return new Reply(200, Json.write(body), null);
    }

    /** An error rendered as a response, for the outcomes transact stores against an Idempotency-Key. */
    static Reply error(ApiException e, String requestId) {
        return new Reply(e.status, e.envelope(requestId), requestId);
    }
}
