package com.poolsbridge.order;

/**
 * The held quote reads {@code consumed} (or still {@code active}) at 0Pools although the lookup found no trade
 * yet: a transact of it is committing or committed. The message rolls back; the redelivery looks the trade up
 * again and never replaces the quote.
 */
public class QuoteInUseException extends RuntimeException {

    public QuoteInUseException(String orderId, String quoteId, String status) {
        super("order " + orderId + ": quote " + quoteId + " reads '" + status
                + "' at 0Pools but no trade was found yet; redelivery looks it up again");
    }
}
