package com.poolsbridge.order;

/**
 * The claim found the order leased by another delivery: a duplicate in flight, or a crashed consumer whose lease
 * has not run out. This delivery waits in-process for the lease (routes/order-failures.camel.yaml) instead of
 * rolling back at once, so a busy order never spends the broker's delivery attempts.
 */
public class OrderLeasedElsewhereException extends OrderBusyException {

    private final long leaseLeftMillis;

    public OrderLeasedElsewhereException(String orderId, long leaseLeftMillis) {
        super(orderId, "order " + orderId + " is leased by another delivery for " + leaseLeftMillis
                + " ms more; waiting for it");
        this.leaseLeftMillis = leaseLeftMillis;
    }

    public long leaseLeftMillis() {
        return leaseLeftMillis;
    }
}
