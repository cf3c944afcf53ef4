package com.poolsbridge.settlement;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.pools.PoolsJson;

/** The JSON messages the settlement side publishes: settlements and the poller's stuck_reserved alert. */
final class SettlementMessages {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SettlementMessages() {
    }

    /** The settlement message (schemas/settlement.schema.json), built once and stored with its row. */
    static String settlement(String orderId, JsonNode trade, String status, String previous, String source,
                          String requestId, String eventId, Instant occurredAt) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("orderId", orderId);
        m.put("transactId", PoolsJson.text(trade, "transactId"));
        m.put("quoteId", PoolsJson.text(trade, "quoteId"));
        m.put("poolId", PoolsJson.text(trade, "poolId"));
        m.put("side", PoolsJson.text(trade, "side"));
        m.put("status", status);
        m.put("previousStatus", previous);
        m.put("fiatCurrency", PoolsJson.text(trade, "fiatCurrency"));
        m.put("cryptoCurrency", PoolsJson.text(trade, "cryptoCurrency"));
        m.put("fiatAmount", PoolsJson.text(trade, "fiatAmount"));
        m.put("cryptoAmount", PoolsJson.text(trade, "cryptoAmount"));
        m.put("rate", PoolsJson.text(trade, "rate"));
        putInt(m, trade, "spreadBps");
        putInt(m, trade, "feeBps");
        putInt(m, trade, "totalBps");
        m.put("cryptoNetwork", PoolsJson.text(trade, "cryptoNetwork"));
        m.put("occurredAt", occurredAt.toString());
        m.put("source", source);
        m.put("requestId", requestId);
        m.put("eventId", eventId);
        return m.toString();
    }

    private static void putInt(ObjectNode m, JsonNode trade, String field) {
        JsonNode v = trade.get(field);
        if (v == null || v.isNull()) {
            m.putNull(field);
        } else {
            m.put(field, v.asInt());
        }
    }


    /** A stuck_reserved alert in the shape of the reconciliation walk's findings (one format per queue). */
    static String stuckAlert(StuckTrade t, Instant detectedAt) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("kind", "stuck_reserved");
        m.put("runId", "settlement-poller");
        m.put("detectedAt", detectedAt.toString());
        m.put("orderId", t.orderId());
        m.put("transactId", t.transactId());
        m.put("quoteId", t.quoteId());
        m.putNull("poolId");
        m.putNull("side");
        ObjectNode status = m.putObject("status");
        status.put("ours", "reserved");
        status.putNull("theirs");
        m.putObject("amounts");
        m.putArray("differences");
        m.put("detail", "reserved since " + t.reservedAt() + " after " + t.pollCount() + " status polls");
        return m.toString();
    }
}
