package com.poolsbridge.pools;

import org.apache.camel.Exchange;

/**
 * Describes the next 0Pools call as exchange properties, read by route pools-api. The request lives in
 * properties (not in the body or headers) so every redelivery of the call rebuilds exactly the same bytes.
 */
public final class PoolsCall {

    public static final String OPERATION = "poolsOperation";
    public static final String METHOD = "poolsMethod";
    public static final String PATH = "poolsPath";
    public static final String QUERY = "poolsQuery";
    public static final String BODY = "poolsRequestBody";
    public static final String IDEMPOTENCY_KEY = "poolsIdempotencyKey";
    /** How many times pools-api has sent this call (first try plus redeliveries). */
    public static final String ATTEMPTS = "poolsAttempts";

    private PoolsCall() {
    }

    public static void get(Exchange exchange, String operation, String path, String query) {
        prepare(exchange, operation, "GET", path, query, null, null);
    }

    public static void post(Exchange exchange, String operation, String path, String body, String idempotencyKey) {
        prepare(exchange, operation, "POST", path, null, body, idempotencyKey);
    }

    private static void prepare(Exchange exchange, String operation, String method, String path, String query,
                                String body, String idempotencyKey) {
        exchange.setProperty(OPERATION, operation);
        exchange.setProperty(METHOD, method);
        exchange.setProperty(PATH, path);
        exchange.setProperty(QUERY, query);
        exchange.setProperty(BODY, body);
        exchange.setProperty(IDEMPOTENCY_KEY, idempotencyKey);
        exchange.setProperty(ATTEMPTS, 0);
    }
}
