package com.poolsbridge.order;

/**
 * Why an order was refused: by 0Pools (its status, type, code and request_id) or by pools-bridge itself
 * (source "bridge", a local validation code, no partner call made).
 */
public record Rejection(String source, Integer status, String type, String code, String message, String requestId) {

    public static Rejection byBridge(String code, String message) {
        return new Rejection("bridge", null, "invalid_request", code, message, null);
    }
}
