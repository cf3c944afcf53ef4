package com.poolsbridge.order;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;

/**
 * The rules about a held firm quote: it is sent to transact only with {@code orders.quote-safety-ms} of life
 * left, and a new quote (with a new Idempotency-Key) is asked for at most {@code orders.max-quote-attempts}
 * times, each only after the previous quote was proven unable to trade: never transacted and expired, or (a
 * transact went out) retired at 0Pools by our reject or read back expired.
 */
public class QuotePolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Clock clock;
    private final long safetyMillis;
    private final int maxQuoteAttempts;

    public QuotePolicy(Clock clock, long safetyMillis, int maxQuoteAttempts) {
        this.clock = clock;
        this.safetyMillis = safetyMillis;
        this.maxQuoteAttempts = maxQuoteAttempts;
    }

    public boolean live(OrderRecord order) {
        return order.quoteExpiresAt() != null && live(order.quoteExpiresAt());
    }

    /** A quote expiring then still has {@code orders.quote-safety-ms} of life left. */
    public boolean live(Instant expiresAt) {
        return clock.instant().plusMillis(safetyMillis).isBefore(expiresAt);
    }

    /** Never sends an expired quote to transact. */
    public void requireLive(OrderRecord order) {
        if (!live(order)) {
            throw new QuoteExpiredException(order.orderId(), order.quoteId());
        }
    }

    /**
     * A 0Pools refusal (4xx) of one of the order's calls is final, except when a transact for the held quote
     * already went out: then a 401/403 on a retried transact, or any refusal of the calls that read or retire
     * that quote (a 404 of the lookup aside: it means "no trade"), says nothing about the trade that may exist.
     */
    public void requireFinal(OrderRecord order, PoolsRequest request, PoolsApiException.Rejected refusal) {
        boolean unknown = switch (request.operation()) {
            case "transact" -> order.transactCalls() > 1 && (refusal.status() == 401 || refusal.status() == 403);
            case "getTransactionByQuote" -> order.transactSent() && refusal.status() != 404;
            case "rejectQuote", "getQuote" -> order.transactSent();
            default -> false;
        };
        if (unknown) {
            throw new OutcomeUnknownException(order.orderId(), refusal);
        }
        throw refusal;
    }

    /**
     * How the held quote reads at 0Pools after our reject of it was refused: expired or rejected means it can
     * never trade (returned as the reason it was retired); consumed or active means a transact of it went through
     * or may still, so it is kept.
     */
    public String retiredAs(OrderRecord order, String quoteJson) throws JsonProcessingException {
        String status = MAPPER.readTree(quoteJson).path("status").asText("");
        if (status.equals("expired") || status.equals("rejected")) {
            return status;
        }
        throw new QuoteInUseException(order.orderId(), order.quoteId(), status);
    }

    /** The held quote expired without a trade: another attempt is allowed, or the order needs an operator. */
    public void allowNewAttempt(OrderRecord order) {
        if (order.quoteAttempt() >= maxQuoteAttempts) {
            throw new OrderStuckException("order " + order.orderId() + ": " + order.quoteAttempt()
                    + " firm quotes expired without a trade");
        }
    }
}
