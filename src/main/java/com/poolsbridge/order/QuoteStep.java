package com.poolsbridge.order;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.IdempotencyKeys;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsCall;
import com.poolsbridge.pools.PoolsResponses;
import org.apache.camel.Exchange;

/** Builds the firm-quote request from the order record and records the answer with its Idempotency-Key. */
public class QuoteStep {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OrderRecords records;

    public QuoteStep(OrderRecords records) {
        this.records = records;
    }

    /** Prepares POST /pools/{id}/quote, with exactly the contract's field names (G-26). */
    public void request(Exchange exchange) throws Exception {
        OrderRecord order = exchange.getProperty(OrderResume.RECORD, OrderRecord.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("side", order.side());
        body.put("amount", order.amount().stripTrailingZeros().toPlainString());
        body.put("type", "firm");
        body.put("cryptoNetwork", order.cryptoNetwork());
        body.put("destAddress", order.destAddress());
        if (order.destNetwork() != null) {
            body.put("destNetwork", order.destNetwork());
        }
        PoolsCall.post(exchange, "createQuote", "/pools/" + order.poolId() + "/quote",
                MAPPER.writeValueAsString(body), null);
    }

    /**
     * A fail-soft unavailable quote rejects the order (never transacted); a firm quote is committed together
     * with the key its transact will use, before that call is made.
     */
    public void record(Exchange exchange) throws Exception {
        OrderRecord order = exchange.getProperty(OrderResume.RECORD, OrderRecord.class);
        String body = exchange.getMessage().getBody(String.class);
        JsonNode quote = MAPPER.readTree(body);
        String requestId = exchange.getProperty(PoolsResponses.REQUEST_ID, String.class);
        if (!quote.path("available").asBoolean(false) || quote.path("quoteId").isNull() || quote.path("quoteId").isMissingNode()) {
            String reason = quote.path("unavailableReason").asText("quote_unavailable");
            throw new PoolsApiException.Rejected(200, "quote_unavailable", reason,
                    "0Pools could not price this order now", requestId);
        }
        String quoteId = quote.get("quoteId").asText();
        String key = IdempotencyKeys.forTransact(order.orderId(), quoteId);
        records.recordQuote(order.orderId(), quoteId, Instant.parse(quote.get("expiresAt").asText()), body, requestId, key);
        exchange.setProperty(OrderResume.RECORD, records.get(order.orderId()));
    }
}
