package com.poolsbridge.order;

/**
 * Another delivery holds the order's lease: it took the order over while this one stalled (thrown before a
 * 0Pools call), or it holds it since before this delivery's claim ({@link OrderLeasedElsewhereException}). The
 * message is never acknowledged as a duplicate, so a crash can never make an order silently skipped.
 */
public class OrderBusyException extends RuntimeException {
    public OrderBusyException(String orderId) {
        this(orderId, "order " + orderId + " is being processed by another consumer; redelivery will resume it");
    }

    protected OrderBusyException(String orderId, String message) {
        super(message);
    }
}
