package com.poolsbridge.order;

import java.time.Clock;

/**
 * The rules about a held firm quote: it is sent to transact only with {@code orders.quote-safety-ms} of life
 * left, and a new quote (with a new Idempotency-Key) is asked for at most {@code orders.max-quote-attempts}
 * times, each only after a lookup proved that the previous quote made no trade.
 */
public class QuotePolicy {

    private final Clock clock;
    private final long safetyMillis;
    private final int maxQuoteAttempts;

    public QuotePolicy(Clock clock, long safetyMillis, int maxQuoteAttempts) {
        this.clock = clock;
        this.safetyMillis = safetyMillis;
        this.maxQuoteAttempts = maxQuoteAttempts;
    }

    public boolean live(OrderRecord order) {
        return order.quoteStillValid(clock.instant(), safetyMillis);
    }

    /** Never sends an expired quote to transact. */
    public void requireLive(OrderRecord order) {
        if (!live(order)) {
            throw new QuoteExpiredException(order.orderId(), order.quoteId());
        }
    }

    /** The held quote expired without a trade: another attempt is allowed, or the order needs an operator. */
    public void allowNewAttempt(OrderRecord order) {
        if (order.quoteAttempt() >= maxQuoteAttempts) {
            throw new OrderStuckException("order " + order.orderId() + ": " + order.quoteAttempt()
                    + " firm quotes expired without a trade");
        }
    }
}
