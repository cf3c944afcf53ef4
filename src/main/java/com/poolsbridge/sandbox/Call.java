package com.poolsbridge.sandbox;

import java.util.Map;
import java.util.Set;

/** One authenticated API call as the operations see it; requestId is the X-Request-Id it will be answered with. */
record Call(Operation op, String param, Partner partner, String path, Map<String, String> query, byte[] body,
            String idempotencyKey, String requestId) {

    /** Unknown query parameters are rejected so that client typos surface as 400s. */
    void allowQuery(Set<String> names) {
        for (String k : query.keySet()) {
            if (!names.contains(k)) {
                throw ApiException.invalid("invalid_request", "Unknown query parameter " + k);
            }
        }
    }
}
