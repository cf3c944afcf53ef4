package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison rules alone: ids first, status, amounts as BigDecimal, ledger by ref = quoteId. */
class TradeComparatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TradeComparator comparator = new TradeComparator(Set.of("on_ramp"));

    @Test
    void releasedBuyWithDebitAndRefundMatchesWhateverTheScale() throws Exception {
        Finding f = comparator.compare(trade("released", "100.00"), order("released", "100.000000000000000000"),
                ledger(entry("-100", "buy_debit"), entry("100.0", "buy_refund")));
        assertThat(f.kind()).isEqualTo(Finding.Kind.matched);
        assertThat(f.differences()).isEmpty();
    }

    @Test
    void returnedWithoutRefundAndDoubleDebitAreMismatches() throws Exception {
        Finding f = comparator.compare(trade("returned", "100.00"), order("returned", "100"),
                ledger(entry("-100.00", "buy_debit"), entry("-100.00", "buy_debit")));
        assertThat(f.kind()).isEqualTo(Finding.Kind.mismatched);
        assertThat(f.differences()).extracting(Finding.Difference::field).containsExactly("ledger.buy_debit", "ledger.buy_refund");
        assertThat(f.differences().get(0).theirs()).isEqualTo("-200.00 x2");
    }

    @Test
    void aCentMatters() throws Exception {
        Finding f = comparator.compare(trade("reserved", "100.01"), order("reserved", "100.00"),
                ledger(entry("-100.01", "buy_debit")));
        assertThat(f.kind()).isEqualTo(Finding.Kind.mismatched);
        assertThat(f.differences()).containsExactly(new Finding.Difference("amount(fiat)", "100", "100.01"));
    }

    @Test
    void idsDifferFirst() throws Exception {
        OurOrder other = new OurOrder("o1", "EUR-USDC", "on_ramp", new BigDecimal("100"), "RESERVED", "pq_other", "txn_1",
                "reserved", Instant.now(), null);
        Finding f = comparator.compare(trade("reserved", "100.00"), other, ledger(entry("-100.00", "buy_debit")));
        assertThat(f.differences()).extracting(Finding.Difference::field).contains("quoteId", "poolId");
    }

    @Test
    void terminalBuyWithoutLedgerEntryIsFlagged() throws Exception {
        Finding f = comparator.compare(trade("settled", "100.00"), order("settled", "100"), ledger());
        assertThat(f.kind()).isEqualTo(Finding.Kind.terminal_without_ledger);
        Finding reserved = comparator.compare(trade("reserved", "100.00"), order("reserved", "100"), ledger());
        assertThat(reserved.kind()).isEqualTo(Finding.Kind.mismatched);   // a reserved buy must already be debited
    }

    @Test
    void noLedgerExpectedWhenTheGateIsOff() throws Exception {
        Finding f = new TradeComparator(Set.of()).compare(trade("settled", "100.00"), order("settled", "100"), ledger());
        assertThat(f.kind()).isEqualTo(Finding.Kind.matched);
    }

    private static JsonNode trade(String status, String fiat) throws Exception {
        return JSON.readTree("""
                {"transactId":"txn_1","quoteId":"pq_1","poolId":"EUR-USDT","side":"on_ramp","status":"%s",
                 "fiatAmount":"%s","cryptoAmount":"107.31","createdAt":"2020-01-01T00:00:00Z"}""".formatted(status, fiat));
    }

    private static OurOrder order(String tradeStatus, String amount) {
        return new OurOrder("o1", "EUR-USDT", "on_ramp", new BigDecimal(amount), "RESERVED", "pq_1", "txn_1", tradeStatus,
                Instant.now(), null);
    }

    private static JsonNode entry(String delta, String reason) throws Exception {
        return JSON.readTree("{\"delta\":\"%s\",\"reason\":\"%s\",\"ref\":\"pq_1\"}".formatted(delta, reason));
    }

    private static LedgerIndex ledger(JsonNode... entries) {
        LedgerIndex[] index = new LedgerIndex[1];   // persisted totals = what this walk added (a first walk)
        index[0] = new LedgerIndex(Instant.now(), refs -> index[0].added());
        for (JsonNode e : entries) {
            index[0].add(e);
        }
        return index[0];
    }
}
