package com.poolsbridge.order;

/** The order cannot progress without an operator (e.g. every firm quote expired before transact): dead-lettered. */
public class OrderStuckException extends RuntimeException {
    public OrderStuckException(String message) {
        super(message);
    }
}
