package com.poolsbridge.order;

/** pools-bridge refuses the order itself (e.g. a side or network the pool does not offer): no partner call. */
public class LocalRejectionException extends RuntimeException {

    private final Rejection rejection;

    public LocalRejectionException(String code, String message) {
        super(code + ": " + message);
        this.rejection = Rejection.byBridge(code, message);
    }

    public Rejection rejection() {
        return rejection;
    }
}
