package com.poolsbridge.pools;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * One 0Pools call, as route pools-api sends it (exchange property {@code poolsRequest}). It is a value kept
 * beside the message, not in its body or headers, so every redelivery of the call sends exactly the same bytes.
 *
 * @param operation the contract's name of the call (logs, tests, metrics)
 * @param method    camel-http's enum, the type it reads CamelHttpMethod as (a String would be converted on
 *                  every call)
 * @param query     the raw query string, or null
 * @param body      the JSON request body, or null for a GET
 * @param idempotencyKey sent as Idempotency-Key on writes that need one (transact), else null
 * @param callClass who the call is for: its priority in the partner budget (lowest unless the builder says)
 */
public record PoolsRequest(String operation, HttpMethods method, String path, String query, String body,
                           String idempotencyKey, CallClass callClass) {

    public static PoolsRequest get(String operation, String path, String query) {
        return new PoolsRequest(operation, HttpMethods.GET, path, query, null, null, CallClass.CAPABILITIES_REFRESH);
    }

    public static PoolsRequest post(String operation, String path, String body, String idempotencyKey) {
        return new PoolsRequest(operation, HttpMethods.POST, path, null, body, idempotencyKey, CallClass.CAPABILITIES_REFRESH);
    }

    /**
     * Puts {@code request} on {@code message} as camel-http sends it: the body, CamelHttpMethod, CamelHttpPath,
     * CamelHttpQuery, Accept and Content-Type application/json (camel-http sends a Content-Type with a body only,
     * not on a GET) and, on a write that has one, Idempotency-Key. A header without a value is not sent.
     */
    public static void write(PoolsRequest request, Message message) {
        message.setBody(request.body);
        message.setHeader(Exchange.HTTP_METHOD, request.method);
        message.setHeader(Exchange.HTTP_PATH, request.path);
        message.setHeader(Exchange.HTTP_QUERY, request.query);
        message.setHeader("Accept", "application/json");
        message.setHeader("Content-Type", "application/json");
        message.setHeader("Idempotency-Key", request.idempotencyKey);
    }

    /** The same call, budgeted as {@code callClass}. */
    public PoolsRequest as(CallClass callClass) {
        return new PoolsRequest(operation, method, path, query, body, idempotencyKey, callClass);
    }

    /**
     * How often pools-api has sent {@code request} (first try plus redeliveries): the count goes on while the
     * same request instance is redelivered and starts again at 1 for the next request.
     */
    public record Attempts(PoolsRequest request, int count) {

        public static Attempts next(PoolsRequest request, Attempts previous) {
            return previous != null && previous.request() == request
                    ? new Attempts(request, previous.count() + 1) : new Attempts(request, 1);
        }
    }
}
