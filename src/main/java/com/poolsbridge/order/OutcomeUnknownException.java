package com.poolsbridge.order;

import com.poolsbridge.pools.PoolsApiException;

/**
 * A transact for the held quote went out, and 0Pools then refused to tell us what became of it (a 401/403 on the
 * retried transact, a failed lookup). The trade may exist, so the order is never answered rejected on it: this
 * is a transient failure (retried, then the order waits on the queue behind the open circuit breaker).
 */
public class OutcomeUnknownException extends RuntimeException {

    /** The refusal is named in the message, not chained as the cause: a catch of refusals must not take this for one. */
    public OutcomeUnknownException(String orderId, PoolsApiException refusal) {
        super("order " + orderId + ": a transact went out and its outcome is unknown (" + refusal.getMessage() + ")");
    }
}
