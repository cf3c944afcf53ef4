package com.poolsbridge.order;

import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Ends an order's intake: records the outcome and turns the message into the reply for pools.orders.results
 * (schemas/order-result.schema.json), correlated by orderId and deduplicated by the broker, so a reply
 * re-sent after a crash or for a duplicate order message reaches the bank once.
 */
public class OrderOutcomes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OrderRecords records;
    private final Clock clock;

    public OrderOutcomes(OrderRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** The body is the trade returned by transact or found by the quote lookup. */
    public void accepted(Exchange exchange) throws Exception {
        String orderId = orderId(exchange);
        JsonNode trade = MAPPER.readTree(exchange.getMessage().getBody(String.class));
        String requestId = exchange.getProperty(PoolsResponses.REQUEST_ID, String.class);
        OrderRecord record = records.get(orderId);
        ObjectNode reply = reply(orderId, "accepted", requestId);
        reply.put("quoteId", record.quoteId());
        reply.put("transactId", trade.path("transactId").asText(null));
        reply.put("idempotencyKey", record.idempotencyKey());
        reply.set("trade", trade);
        reply.putNull("rejection");
        String json = MAPPER.writeValueAsString(reply);
        records.recordReserved(orderId, trade.path("transactId").asText(null), trade.path("status").asText(null),
                trade.toString(), requestId, json);
        exchange.setProperty(OrderResume.RECORD, records.get(orderId));
        toReply(exchange, orderId, json);
    }

    /** The caught exception says who refused the order and why. */
    public void rejected(Exchange exchange) throws Exception {
        String orderId = orderId(exchange);
        Rejection rejection = rejectionOf(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        OrderRecord record = records.get(orderId);
        ObjectNode reply = reply(orderId, "rejected", rejection.requestId());
        reply.put("quoteId", record.quoteId());
        reply.putNull("transactId");
        reply.put("idempotencyKey", record.idempotencyKey());
        reply.putNull("trade");
        reply.set("rejection", MAPPER.valueToTree(rejection));
        String json = MAPPER.writeValueAsString(reply);
        records.recordRejected(orderId, rejection, json);
        toReply(exchange, orderId, json);
    }

    /** The order was answered but its reply never reached the broker: send the stored reply now. */
    public void storedReply(Exchange exchange) {
        String orderId = orderId(exchange);
        toReply(exchange, orderId, records.get(orderId).replyJson());
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

    private static void toReply(Exchange exchange, String orderId, String json) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(json);
        message.setHeader("JMSCorrelationID", orderId);
        message.setHeader("_AMQ_DUPL_ID", "order-result:" + orderId);
    }

    private static String orderId(Exchange exchange) {
        return exchange.getProperty(OrderValidator.ORDER, OrderMessage.class).orderId();
    }
}
