package com.poolsbridge.sandbox;

import java.util.Map;
import java.util.Set;

/** One authenticated API call as the operations see it. */
record Call(Operation op, String param, Partner partner, String path, Map<String, String> query, byte[] body,
            String idempotencyKey) {

    /** Unknown query parameters are rejected so that client typos surface as 400s. */
    void allowQuery(Set<String> names) {
        for (String k : query.keySet()) {
            if (!names.contains(k)) {
                throw ApiException.invalid("invalid_request", "Unknown query parameter " + k);
            }
        }
    }
}
