package com.poolsbridge.order;

/**
 * The trade 0Pools returned differs from the quote or the order: money moved, but not as asked. The order is
 * held (dead-lettered with the trade id, logged at ERROR for an alert) and never answered accepted on its own.
 */
public class TradeMismatchException extends RuntimeException {

    public TradeMismatchException(String orderId, String transactId, String differences) {
        super("order " + orderId + ": trade " + transactId + " does not match its order and quote: " + differences);
    }
}
