package com.poolsbridge.order;

/**
 * The held quote expired (or is about to) before transact. Transient by design: the order goes back to the
 * broker, whose redelivery resumes it by looking the quote up first (an earlier attempt may have executed it).
 */
public class QuoteExpiredException extends RuntimeException {
    public QuoteExpiredException(String orderId, String quoteId) {
        super("quote " + quoteId + " of order " + orderId + " expired before transact; resuming from the record");
    }
}
