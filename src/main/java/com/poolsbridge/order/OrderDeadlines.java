package com.poolsbridge.order;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When an order may no longer be quoted: the sender's {@code expiresAt}, and at the latest
 * {@code orders.max-age-ms} after core banking sent it (its JMS timestamp). Past it the order is answered
 * {@code rejected} / {@code order_expired} with no money moved, instead of waiting on the queue indefinitely
 * (a long partner outage). A held quote is still looked up first: it may already have traded.
 */
public class OrderDeadlines {

    private final Clock clock;
    private final Duration maxAge;

    /** @param maxAge zero for no maximum age (only the sender's own deadline applies) */
    public OrderDeadlines(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** @param sentAtMillis the message's JMSTimestamp; null or 0 when the sender did not set one (then: now) */
    public Instant deadline(OrderMessage order, Long sentAtMillis) {
        Instant sent = sentAtMillis == null || sentAtMillis <= 0 ? clock.instant() : Instant.ofEpochMilli(sentAtMillis);
        Instant byAge = maxAge.isZero() ? null : sent.plus(maxAge);
        if (order.expiresAt() == null || byAge == null) {
            return order.expiresAt() == null ? byAge : order.expiresAt();
        }
        return order.expiresAt().isBefore(byAge) ? order.expiresAt() : byAge;
    }

    /** The order may still be executed (or has no record to judge by yet). */
    public boolean open(OrderRecord order) {
        return order == null || !order.pastDeadline(clock.instant());
    }

    /** Before any new quote is asked for. */
    public void requireOpen(OrderRecord order) {
        if (order.pastDeadline(clock.instant())) {
            throw new LocalRejectionException("order_expired", "the order's deadline " + order.deadlineAt()
                    + " passed before it could be executed; no money moved");
        }
    }
}
