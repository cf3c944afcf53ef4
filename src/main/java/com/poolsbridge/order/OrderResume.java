package com.poolsbridge.order;

import java.time.Clock;

import com.poolsbridge.pools.PoolsCall;
import org.apache.camel.Exchange;

/**
 * Decides where a claimed order continues, from its durable record alone: a fresh order is quoted; an order
 * that already holds a quote (and so perhaps a trade) is first looked up at 0Pools by quoteId, because a
 * previous delivery may have crashed after 0Pools committed the transact.
 */
public class OrderResume {

    public static final String RECORD = "orderRecord";
    public static final String NEXT_STEP = "orderNextStep";

    private final OrderRecords records;
    private final int maxQuoteAttempts;
    private final Clock clock;
    private final long safetyMillis;

    public OrderResume(OrderRecords records, int maxQuoteAttempts, Clock clock, long safetyMillis) {
        this.records = records;
        this.maxQuoteAttempts = maxQuoteAttempts;
        this.clock = clock;
        this.safetyMillis = safetyMillis;
    }

    /**
     * Sets {@link #RECORD} and {@link #NEXT_STEP}: "reply" (answered, but the delivery that answered died before
     * its reply was sent), "lookup" (a quote is held, so a trade may exist) or "quote".
     */
    public void load(Exchange exchange) {
        OrderRecord record = records.get(exchange.getProperty(OrderValidator.ORDER, OrderMessage.class).orderId());
        exchange.setProperty(RECORD, record);
        exchange.setProperty(NEXT_STEP, record.state().replied() ? "reply"
                : record.quoteId() == null ? "quote" : "lookup");
    }

    /** Prepares GET /pools/transactions/{quoteId}: idempotent, and it finds a trade an earlier attempt made. */
    public void prepareLookup(Exchange exchange) {
        OrderRecord record = exchange.getProperty(RECORD, OrderRecord.class);
        PoolsCall.get(exchange, "getTransactionByQuote", "/pools/transactions/" + record.quoteId(), null);
    }

    /** The lookup found no trade for the held quote: transact it if still valid, else start a new attempt. */
    public void noTradeForQuote(Exchange exchange) {
        OrderRecord record = exchange.getProperty(RECORD, OrderRecord.class);
        if (record.quoteStillValid(clock.instant(), safetyMillis)) {
            exchange.setProperty(NEXT_STEP, "transact");
            return;
        }
        if (record.quoteAttempt() >= maxQuoteAttempts) {
            throw new OrderStuckException("order " + record.orderId() + ": " + record.quoteAttempt()
                    + " firm quotes expired without a trade");
        }
        records.startQuoteAttempt(record.orderId());
        exchange.setProperty(RECORD, records.get(record.orderId()));
        exchange.setProperty(NEXT_STEP, "quote");
    }
}
