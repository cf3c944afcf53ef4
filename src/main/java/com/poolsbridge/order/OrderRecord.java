package com.poolsbridge.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** The durable state of one order, as stored in table order_record. */
public record OrderRecord(String orderId, String poolId, String side, BigDecimal amount, String cryptoNetwork,
                          String destAddress, String destNetwork, OrderState state, int quoteAttempt,
                          String quoteId, Instant quoteExpiresAt, String idempotencyKey, String transactId,
                          String tradeStatus, String replyJson, boolean replySent, Instant deadlineAt,
                          int transactCalls, String fingerprint, String quoteJson) {

    /**
     * From the order's key alone (equal records have equal keys): Camel's bean language hashes the record on every
     * {@code ${exchangeProperty.orderRecord.x()}} read, and the generated hash would walk every field, JSON included.
     */
    @Override
    public int hashCode() {
        return Objects.hashCode(orderId);
    }

    /** A transact for the held quote went out at least once: its outcome may be a trade. */
    public boolean transactSent() {
        return transactCalls > 0;
    }

    /** The order was accepted or rejected: its reply is stored (and perhaps not yet sent). */
    public boolean answered() {
        return state.replied();
    }

    /**
     * A firm quote is held, so a trade may exist at 0Pools (an earlier delivery may have transacted it);
     * {@link #transactSent()} tells whether a transact for it ever went out.
     */
    public boolean holdsQuote() {
        return quoteId != null;
    }

    /** The order may no longer be quoted (a held quote is still looked up: it may have traded). */
    public boolean pastDeadline(Instant now) {
        return deadlineAt != null && !now.isBefore(deadlineAt);
    }
}
