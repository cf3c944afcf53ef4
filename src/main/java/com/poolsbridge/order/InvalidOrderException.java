package com.poolsbridge.order;

/** The order message cannot be processed as sent (not JSON, schema violation, orderId reused): never retried. */
public class InvalidOrderException extends RuntimeException {

    private final String code;

    public InvalidOrderException(String code, String detail) {
        super(code + ": " + detail);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
