package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One reconciliation finding, before it is stored and published (schemas/reconciliation.schema.json).
 * subject is its dedupe key within a run: one finding per listed trade, one per order-side check and order.
 */
public final class Finding {

    public enum Kind {
        matched, mismatched, trade_unknown, order_without_trade, terminal_without_ledger, stuck_reserved
    }

    public record Difference(String field, String ours, String theirs) {
        @Override
        public String toString() {
            return field + ": ours=" + ours + " theirs=" + theirs;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    Kind kind;
    String subject;
    String orderId;
    String transactId;
    String quoteId;
    String poolId;
    String side;
    String statusOurs;
    String statusTheirs;
    String orderState;
    String detail;
    final Map<String, BigDecimal> amounts = new LinkedHashMap<>();
    final List<Difference> differences = new ArrayList<>();

    public Kind kind() {
        return kind;
    }

    public String subject() {
        return subject;
    }

    public String orderId() {
        return orderId;
    }

    public String transactId() {
        return transactId;
    }

    public String quoteId() {
        return quoteId;
    }

    public String poolId() {
        return poolId;
    }

    public String statusOurs() {
        return statusOurs;
    }

    public String statusTheirs() {
        return statusTheirs;
    }

    public List<Difference> differences() {
        return differences;
    }

    public Map<String, BigDecimal> amounts() {
        return amounts;
    }

    void differ(String field, Object ours, Object theirs) {
        differences.add(new Difference(field, str(ours), str(theirs)));
    }

    public String differencesText() {
        return differences.isEmpty() ? null : differences.stream().map(Difference::toString).collect(Collectors.joining("; "));
    }

    /** The published message. */
    public String toJson(String runId, Instant detectedAt) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("kind", kind.name());
        m.put("runId", runId);
        m.put("detectedAt", detectedAt.toString());
        m.put("orderId", orderId);
        m.put("transactId", transactId);
        m.put("quoteId", quoteId);
        m.put("poolId", poolId);
        m.put("side", side);
        ObjectNode status = m.putObject("status");
        status.put("ours", statusOurs);
        status.put("theirs", statusTheirs);
        status.put("orderState", orderState);
        ObjectNode a = m.putObject("amounts");
        amounts.forEach((k, v) -> a.put(k, v == null ? null : v.toPlainString()));
        ArrayNode d = m.putArray("differences");
        differences.forEach(x -> d.addObject().put("field", x.field()).put("ours", x.ours()).put("theirs", x.theirs()));
        m.put("detail", detail);
        return m.toString();
    }

    private static String str(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal b ? b.toPlainString() : value.toString();
    }
}
