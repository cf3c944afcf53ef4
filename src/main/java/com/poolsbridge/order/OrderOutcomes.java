package com.poolsbridge.order;

import java.security.MessageDigest;
import java.util.HexFormat;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.pools.IdempotencyKeys;
import com.poolsbridge.pools.PoolsApiException;

/**
 * Records what 0Pools answered for an order and returns the record as written: the firm quote (with the key
 * its transact will use), and the outcome with its reply for pools.orders.results
 * (schemas/order-result.schema.json), stored so that a reply lost in a crash can be sent again unchanged.
 */
public class OrderOutcomes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OrderRecords records;
    private final OrderClaims claims;
    private final QuotePolicy quotePolicy;
    private final Clock clock;

    public OrderOutcomes(OrderRecords records, OrderClaims claims, QuotePolicy quotePolicy, Clock clock) {
        this.records = records;
        this.claims = claims;
        this.quotePolicy = quotePolicy;
        this.clock = clock;
    }

    /**
     * A fail-soft unavailable quote rejects the order (never transacted); a firm quote is committed together
     * with the key its transact will use, before that call is made, under the lease of delivery {@code exchangeId}.
     */
    public OrderRecord quoted(OrderRecord order, String quoteJson, String requestId, String exchangeId)
            throws Exception {
        JsonNode quote = MAPPER.readTree(quoteJson);
        if (!quote.path("available").asBoolean(false) || quote.path("quoteId").isNull() || quote.path("quoteId").isMissingNode()) {
            String reason = quote.path("unavailableReason").asText("quote_unavailable");
            throw new PoolsApiException.Rejected(200, "quote_unavailable", reason,
                    "0Pools could not price this order now", requestId);
        }
        String quoteId = quote.get("quoteId").asText();
        Instant expiresAt = Instant.parse(quote.get("expiresAt").asText());
        // its transact is counted with it when it goes out at once (order-transact); a quote already too old to be
        // sent is not, so it is retired as expired unused, with no reject at 0Pools
        return claims.recordQuote(exchangeId, order.orderId(), new OrderRecords.FirmQuote(quoteId, expiresAt, quoteJson,
                requestId, IdempotencyKeys.forTransact(order.orderId(), quoteId)), quotePolicy.live(expiresAt));
    }

    /** The trade returned by transact or found by the quote lookup. */
    public OrderRecord accepted(OrderRecord order, String tradeJson, String requestId) throws Exception {
        JsonNode trade = MAPPER.readTree(tradeJson);
        ObjectNode reply = reply(order.orderId(), "accepted", requestId);
        reply.put("quoteId", order.quoteId());
        reply.put("transactId", trade.path("transactId").asText(null));
        reply.put("idempotencyKey", order.idempotencyKey());
        reply.set("trade", trade);
        reply.putNull("rejection");
        return records.recordReserved(order.orderId(), trade.path("transactId").asText(null),
                trade.path("status").asText(null), trade.toString(), requestId, MAPPER.writeValueAsString(reply));
    }

    /** The exception says who refused the order and why. */
    public OrderRecord rejected(OrderRecord order, Exception cause) throws Exception {
        Rejection rejection = rejectionOf(OrderFailures.decisive(cause));
        ObjectNode reply = reply(order.orderId(), "rejected", rejection.requestId());
        reply.put("quoteId", order.quoteId());
        reply.putNull("transactId");
        reply.put("idempotencyKey", order.idempotencyKey());
        reply.putNull("trade");
        reply.set("rejection", MAPPER.valueToTree(rejection));
        return records.recordRejected(order.orderId(), rejection, MAPPER.writeValueAsString(reply));
    }

    /**
     * A message that is not a valid order but names a readable orderId: recorded under it with its rejection
     * reply (code invalid_order, the reason as message). Null when there is nothing to answer: no readable
     * orderId, or the orderId belongs to another order (a reused id), which keeps its own single reply.
     */
    public OrderRecord invalid(String orderId, byte[] raw, Exception cause) throws Exception {
        if (orderId == null) {
            return null;
        }
        Exception decisive = OrderFailures.decisive(cause);
        if (decisive instanceof InvalidOrderException reused && reused.code().equals("order_id_reused")) {
            return null;
        }
        Rejection rejection = Rejection.byBridge("invalid_order", decisive.getMessage());
        ObjectNode reply = reply(orderId, "rejected", null);
        reply.putNull("quoteId");
        reply.putNull("transactId");
        reply.putNull("idempotencyKey");
        reply.putNull("trade");
        reply.set("rejection", MAPPER.valueToTree(rejection));
        String fingerprint = "invalid:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                .substring(0, 56);
        return records.registerInvalid(orderId, fingerprint, rejection, MAPPER.writeValueAsString(reply))
                .filter(record -> !record.replySent()).orElse(null);
    }

    static Rejection rejectionOf(Exception e) {
        if (e instanceof PoolsApiException p) {
            return new Rejection("pools", p.status(), p.type(), p.code(), p.partnerMessage(), p.requestId());
        }
        if (e instanceof LocalRejectionException l) {
            return l.rejection();
        }
        return Rejection.byBridge("rejected", e == null ? null : e.getMessage());
    }

    private ObjectNode reply(String orderId, String outcome, String requestId) {
        ObjectNode reply = MAPPER.createObjectNode();
        reply.put("orderId", orderId);
        reply.put("outcome", outcome);
        reply.put("requestId", requestId);
        reply.put("processedAt", clock.instant().toString());
        return reply;
    }
}
