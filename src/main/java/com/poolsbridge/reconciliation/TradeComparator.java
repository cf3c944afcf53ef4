package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolsbridge.pools.PoolsJson;

/**
 * Compares one trade listed by 0Pools with our order record and the ledger, by durable ids first (transactId,
 * quoteId, poolId, side), then status, then amounts as BigDecimal (contract §8.4: never by amount alone).
 * Every listed trade gets exactly one finding: trade_unknown, terminal_without_ledger, mismatched or matched.
 */
public final class TradeComparator {

    static final Set<String> TERMINAL = Set.of("settled", "returned", "released", "failed");
    static final Set<String> REFUNDED = Set.of("failed", "released", "returned");

    /** Sides whose trades move the prefunded balance (buy_debit at transact); empty when the gate is off. */
    private final Set<String> ledgerSides;

    public TradeComparator(Set<String> ledgerSides) {
        this.ledgerSides = ledgerSides;
    }

    public Finding compare(JsonNode trade, OurOrder order, LedgerIndex ledger) {
        Finding f = new Finding();
        f.transactId = PoolsJson.text(trade, "transactId");
        f.subject = "trade:" + f.transactId;
        f.quoteId = PoolsJson.text(trade, "quoteId");
        f.poolId = PoolsJson.text(trade, "poolId");
        f.side = PoolsJson.text(trade, "side");
        f.statusTheirs = PoolsJson.text(trade, "status");
        BigDecimal fiat = decimal(trade, "fiatAmount");
        BigDecimal crypto = decimal(trade, "cryptoAmount");
        LedgerIndex.Totals totals = ledger.of(f.quoteId);
        boolean ledgerExpected = f.side != null && ledgerSides.contains(f.side);
        if (order != null) {
            f.amounts.put("order", plain(order.amount()));
        }
        f.amounts.put("tradeFiat", fiat);
        f.amounts.put("tradeCrypto", crypto);
        if (ledgerExpected) {
            f.amounts.put("ledgerDebit", totals.debits() == 0 ? null : totals.debit());
            f.amounts.put("ledgerRefund", totals.refunds() == 0 ? null : totals.refund());
        }
        if (order == null) {
            f.kind = Finding.Kind.trade_unknown;
            f.detail = "0Pools lists trade " + f.transactId + " (quote " + f.quoteId + ") that no order record knows";
            return f;
        }
        f.orderId = order.orderId();
        f.statusOurs = order.tradeStatus();
        f.orderState = order.state();

        // ids
        same(f, "transactId", order.transactId(), f.transactId);
        same(f, "quoteId", order.quoteId(), f.quoteId);
        same(f, "poolId", order.poolId(), f.poolId);
        same(f, "side", order.side(), f.side);
        if (!"RESERVED".equals(order.state())) {
            f.differ("orderState", order.state(), "trade exists");
        }
        // status (ours is kept current by the settlement poller; 0Pools is the authority)
        same(f, "status", order.tradeStatus(), f.statusTheirs);
        // amounts: the order amount is fiat for on_ramp and crypto for off_ramp
        BigDecimal tradeAmount = "off_ramp".equals(order.side()) ? crypto : fiat;
        if (order.amount() == null || tradeAmount == null || order.amount().compareTo(tradeAmount) != 0) {
            f.differ("off_ramp".equals(order.side()) ? "amount(crypto)" : "amount(fiat)", plain(order.amount()), tradeAmount);
        }
        // ledger, joined by ref = quoteId
        if (ledgerExpected && !createdAfter(trade, ledger.walkStartedAt())) {
            if (!totals.any() && TERMINAL.contains(f.statusTheirs)) {
                f.kind = Finding.Kind.terminal_without_ledger;
                f.detail = "trade is " + f.statusTheirs + " but the ledger has no entry with ref " + f.quoteId;
                return f;
            }
            ledger(f, totals, fiat);
        }
        f.kind = f.differences.isEmpty() ? Finding.Kind.matched : Finding.Kind.mismatched;
        return f;
    }

    private static void ledger(Finding f, LedgerIndex.Totals totals, BigDecimal fiat) {
        BigDecimal expectedDebit = fiat == null ? null : fiat.negate();
        if (totals.debits() != 1 || expectedDebit == null || totals.debit().compareTo(expectedDebit) != 0) {
            f.differ("ledger.buy_debit", expectedDebit == null ? null : expectedDebit.toPlainString() + " x1",
                    totals.debits() == 0 ? null : totals.debit().toPlainString() + " x" + totals.debits());
        }
        boolean refundExpected = REFUNDED.contains(f.statusTheirs);
        BigDecimal expectedRefund = refundExpected ? fiat : BigDecimal.ZERO;
        if (expectedRefund == null || totals.refund().compareTo(expectedRefund) != 0
                || totals.refunds() != (refundExpected ? 1 : 0)) {
            f.differ("ledger.buy_refund", refundExpected ? (fiat == null ? null : fiat.toPlainString() + " x1") : null,
                    totals.refunds() == 0 ? null : totals.refund().toPlainString() + " x" + totals.refunds());
        }
    }

    private static void same(Finding f, String field, String ours, String theirs) {
        if (!Objects.equals(ours, theirs)) {
            f.differ(field, ours, theirs);
        }
    }

    static boolean createdAfter(JsonNode trade, Instant instant) {
        Instant created = createdAt(trade);
        return created != null && instant != null && created.isAfter(instant);
    }

    static Instant createdAt(JsonNode trade) {
        String value = PoolsJson.text(trade, "createdAt");
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The order amount as stored (NUMERIC(38,18)) without its padding zeros: 50.000000000000000000 -> 50. */
    static BigDecimal plain(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }


    static BigDecimal decimal(JsonNode node, String field) {
        String v = PoolsJson.text(node, field);
        try {
            return v == null ? null : new BigDecimal(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
