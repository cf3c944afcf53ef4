package com.poolsbridge.order;

/**
 * Another consumer holds the order's lease (a duplicate in flight, or a crashed attempt whose lease has not
 * expired yet). The message is rolled back to the broker, which redelivers it later; it is never acknowledged
 * as a duplicate, so a crash can never make an order silently skipped.
 */
public class OrderBusyException extends RuntimeException {
    public OrderBusyException(String orderId) {
        super("order " + orderId + " is being processed by another consumer; redelivery will resume it");
    }
}
