package com.poolsbridge.order;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.infra.Jdbc;

/**
 * Spending limits the bridge enforces itself (OWASP API6), whatever 0Pools would allow: a maximum per order and
 * a rolling 24 h cap per side, in the order's input unit (fiat for on_ramp, crypto for off_ramp), checked before
 * any quote; and, before an order is answered accepted, the trade 0Pools returned must match the quote and the
 * order. A limit of zero turns that check off.
 */
public class MoneyGuardrails {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DataSource dataSource;
    private final Map<String, BigDecimal> maxPerOrder;
    private final Map<String, BigDecimal> dailyCap;

    /** @param maxPerOrder and {@code dailyCap} by side (on_ramp, off_ramp) */
    public MoneyGuardrails(DataSource dataSource, Map<String, BigDecimal> maxPerOrder, Map<String, BigDecimal> dailyCap) {
        this.dataSource = dataSource;
        this.maxPerOrder = maxPerOrder;
        this.dailyCap = dailyCap;
    }

    /**
     * Before the first quote of an order: within the per-order maximum, and counted against its side's rolling
     * 24 h cap (per-minute sums in daily_cap_usage; a minute that began within 24 h and one minute counts whole).
     * An order already counted is not counted again.
     */
    public void admit(OrderRecord order) {
        BigDecimal max = maxPerOrder.getOrDefault(order.side(), BigDecimal.ZERO);
        if (max.signum() > 0 && order.amount().compareTo(max) > 0) {
            throw new LocalRejectionException("order_limit_exceeded", "amount " + order.amount().toPlainString()
                    + " is above this bridge's maximum per " + order.side() + " order (" + max.toPlainString() + ")");
        }
        BigDecimal cap = dailyCap.getOrDefault(order.side(), BigDecimal.ZERO);
        if (cap.signum() <= 0) {
            return;
        }
        if (!counted(order, cap)) {
            throw new LocalRejectionException("daily_limit_exceeded", "the rolling 24 h " + order.side()
                    + " limit of this bridge (" + cap.toPlainString() + ") would be exceeded");
        }
    }

    /** Counts the order against its side's cap, unless counted before; false when it does not fit. */
    private boolean counted(OrderRecord order, BigDecimal cap) {
        String sql = """
                WITH used AS (SELECT COALESCE(SUM(amount), 0) AS total FROM daily_cap_usage
                              WHERE side = ? AND minute > now() - interval '24 hours 1 minute'),
                     counted AS (UPDATE order_record SET cap_counted_at = COALESCE(cap_counted_at, now()) FROM used
                                 WHERE order_id = ? AND (cap_counted_at IS NOT NULL OR used.total + amount <= ?)
                                 RETURNING amount, cap_counted_at = now() AS now_counted),
                     usage AS (INSERT INTO daily_cap_usage (side, minute, amount)
                               SELECT ?, date_trunc('minute', now()), amount FROM counted WHERE now_counted
                               ON CONFLICT (side, minute) DO UPDATE SET amount = daily_cap_usage.amount + EXCLUDED.amount),
                     expired AS (DELETE FROM daily_cap_usage WHERE side = ? AND minute < now() - interval '25 hours')
                SELECT count(*) FROM counted""";
        // the side's lock makes concurrent orders of the side, on every replica, count one after the other
        return Jdbc.queryAfterLock(dataSource, "SELECT pg_advisory_xact_lock(hashtext('pools-bridge-daily-cap:' || ?))",
                sql, rs -> rs.getLong(1) > 0, order.side(), order.side(), order.orderId(), cap, order.side(),
                order.side()).get(0);
    }

    /**
     * The trade 0Pools returned (transact or lookup) is the one the order asked for: same quote, pool, side,
     * network, destination and amounts as the firm quote recorded for it. Anything else is held, never accepted.
     */
    public void verifyTrade(OrderRecord order, String tradeJson) throws Exception {
        JsonNode trade = MAPPER.readTree(tradeJson);
        JsonNode quote = MAPPER.readTree(order.quoteJson() == null ? "{}" : order.quoteJson());
        StringBuilder wrong = new StringBuilder();
        same(wrong, "quoteId", order.quoteId(), trade.path("quoteId").asText(null));
        same(wrong, "poolId", order.poolId(), trade.path("poolId").asText(null));
        same(wrong, "side", order.side(), trade.path("side").asText(null));
        same(wrong, "cryptoNetwork", order.cryptoNetwork(), trade.path("cryptoNetwork").asText(order.cryptoNetwork()));
        same(wrong, "destAddress", order.destAddress(), trade.path("destAddress").asText(order.destAddress()));
        String input = order.side().equals("off_ramp") ? "cryptoAmount" : "fiatAmount";
        sameAmount(wrong, input + " (order)", order.amount(), trade.path(input).asText(null));
        for (String amount : new String[] {"fiatAmount", "cryptoAmount"}) {
            if (quote.hasNonNull(amount)) {
                sameAmount(wrong, amount + " (quote)", new BigDecimal(quote.get(amount).asText()), trade.path(amount).asText(null));
            }
        }
        if (!wrong.isEmpty()) {
            throw new TradeMismatchException(order.orderId(), trade.path("transactId").asText(null), wrong.toString());
        }
    }

    private static void same(StringBuilder wrong, String field, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            wrong.append(wrong.isEmpty() ? "" : "; ").append(field).append(" ").append(actual)
                    .append(" (expected ").append(expected).append(")");
        }
    }

    private static void sameAmount(StringBuilder wrong, String field, BigDecimal expected, String actual) {
        if (actual == null || new BigDecimal(actual).compareTo(expected) != 0) {
            wrong.append(wrong.isEmpty() ? "" : "; ").append(field).append(" ").append(actual)
                    .append(" (expected ").append(expected.toPlainString()).append(")");
        }
    }
}
