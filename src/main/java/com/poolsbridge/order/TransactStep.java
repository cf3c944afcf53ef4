package com.poolsbridge.order;

import java.time.Clock;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.PoolsCall;
import org.apache.camel.Exchange;

/** Builds the transact request: the persisted quoteId and Idempotency-Key, byte-identical on every retry. */
public class TransactStep {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Clock clock;
    private final long safetyMillis;

    public TransactStep(Clock clock, long safetyMillis) {
        this.clock = clock;
        this.safetyMillis = safetyMillis;
    }

    /**
     * Never sends an expired quote: a quote about to expire goes back to the broker, whose redelivery resumes
     * the order by looking the quote up first (it may have been executed by an earlier attempt).
     */
    public void request(Exchange exchange) throws Exception {
        OrderRecord order = exchange.getProperty(OrderResume.RECORD, OrderRecord.class);
        if (!order.quoteStillValid(clock.instant(), safetyMillis)) {
            throw new QuoteExpiredException(order.orderId(), order.quoteId());
        }
        PoolsCall.post(exchange, "transact", "/pools/" + order.poolId() + "/transact",
                MAPPER.writeValueAsString(Map.of("quoteId", order.quoteId())), order.idempotencyKey());
    }

    /** Transient by design: handled by rolling back to the broker and resuming from the order record. */
    public static class QuoteExpiredException extends RuntimeException {
        public QuoteExpiredException(String orderId, String quoteId) {
            super("quote " + quoteId + " of order " + orderId + " expired before transact; resuming from the record");
        }
    }
}
