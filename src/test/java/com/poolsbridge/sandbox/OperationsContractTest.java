package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Happy path and response shape of each of the 12 operations. */
class OperationsContractTest extends SandboxTestSupport {

    @BeforeEach
    void up() {
        start();
    }

    @Test
    void listPoolsWithPublishableKey() {
        Res r = get("/pools", PK);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Request-Id")).matches("req_[A-Z2-7]{24}");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("pools")).hasSize(2);
        JsonNode p = r.json().get("pools").get(0);
        assertThat(p.get("id").asText()).isEqualTo("EUR-USDT");
        assertThat(p.get("pair").asText()).isEqualTo("EUR/USDT");
        assertThat(p.get("available").isBoolean()).isTrue();
    }

    @Test
    void capabilities() {
        JsonNode c = get("/pools/EUR-USDT/capabilities", SK).json();
        assertThat(c.get("poolId").asText()).isEqualTo("EUR-USDT");
        assertThat(c.get("supportedNetworks").toString()).isEqualTo("[\"tron\",\"ethereum\"]");
        assertThat(c.get("sides").toString()).isEqualTo("[\"on_ramp\"]");
        assertThat(c.get("drawFeeBps").isInt()).isTrue();
        assertThat(c.get("spreadCapBps").isInt()).isTrue();
        assertThat(c.get("minOrderUsdt").isTextual()).isTrue();
        assertThat(c.has("depositAddress")).isTrue();
        assertThat(c.get("depositAddress").isNull()).isTrue();
        assertThat(c.get("balanceGate").asBoolean()).isTrue();
        JsonNode usdc = get("/pools/EUR-USDC/capabilities", SK).json();
        assertThat(usdc.get("maxOrderUsdt").isNull()).isTrue();
    }

    @Test
    void balanceAndFunding() {
        JsonNode b = get("/pools/EUR-USDT/balance", SK).json();
        assertThat(b.get("balance").asText()).isEqualTo("1000000.00");
        assertThat(b.get("available").asBoolean()).isTrue();
        assertThat(b.get("allowedPools").toString()).isEqualTo("[\"EUR-USDT\",\"EUR-USDC\"]");
        assertThat(b.has("status")).isFalse();
        JsonNode other = get("/pools/EUR-USDC/balance", OTHER_SK).json();
        assertThat(other.get("balance").isNull()).isTrue();   // gate off → null

        JsonNode f = get("/pools/funding", SK).json();
        assertThat(f.get("currency").asText()).isEqualTo("EUR");
        assertThat(f.has("iban")).isTrue();
        assertThat(f.get("iban").isNull()).isTrue();
        assertThat(f.get("reference").asText()).isEqualTo("0P-DEMOBANK-7QK2");
        assertThat(get("/pools/funding?currency=EUR", SK).status()).isEqualTo(200);
        Res usd = get("/pools/funding?currency=USD", SK);
        assertError(usd, 400, "invalid_request", "invalid_request");
        assertThat(usd.json().get("message").asText()).isEqualTo("only EUR funding is supported");
    }

    @Test
    void firmQuoteShapeAndRead() {
        Res r = post("/pools/EUR-USDT/quote", SK, onRamp("100.00"), null);
        JsonNode q = r.json();
        assertThat(r.status()).isEqualTo(200);
        assertThat(q.get("available").asBoolean()).isTrue();
        assertThat(q.get("type").asText()).isEqualTo("firm");
        assertThat(q.get("executable").asBoolean()).isTrue();
        assertThat(q.get("quoteId").asText()).startsWith("pq_test_");
        assertThat(q.get("fiatAmount").asText()).isEqualTo("100.00");
        assertThat(q.get("cryptoAmount").asText()).isEqualTo("107.31");
        assertThat(q.get("rate").asText()).isEqualTo("1.0731");
        assertThat(q.get("spreadBps").asInt()).isEqualTo(25);
        assertThat(q.get("feeBps").asInt()).isEqualTo(30);
        assertThat(q.get("totalBps").asInt()).isEqualTo(55);
        assertThat(q.get("expiresAt").asText()).isEqualTo("2026-06-01T10:00:15Z");
        assertThat(q.get("destNetwork").asText()).isEqualTo("tron");
        assertThat(q.get("unavailableReason").isNull()).isTrue();

        JsonNode read = get("/pools/quotes/" + q.get("quoteId").asText(), SK).json();
        assertThat(read.get("status").asText()).isEqualTo("active");
        assertThat(read.get("cryptoAmount").asText()).isEqualTo("107.31");
        clock.advance(Duration.ofSeconds(15));
        assertThat(get("/pools/quotes/" + q.get("quoteId").asText(), SK).json().get("status").asText()).isEqualTo("expired");
    }

    @Test
    void indicativeAndUnavailableQuotes() {
        JsonNode ind = post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"50.00\",\"type\":\"indicative\"}", null).json();
        assertThat(ind.get("type").asText()).isEqualTo("indicative");
        assertThat(ind.get("executable").asBoolean()).isFalse();
        assertThat(ind.get("quoteId").isNull()).isTrue();
        assertThat(ind.get("rate").asText()).isEqualTo("1.0731");

        Res dry = post("/pools/EUR-USDT/quote", SK, onRamp("100.66"), null);
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().get("available").asBoolean()).isFalse();
        assertThat(dry.json().get("unavailableReason").asText()).isEqualTo("pool_dry");
        assertThat(dry.json().get("quoteId").isNull()).isTrue();
        assertThat(dry.json().get("rate").isNull()).isTrue();
        assertThat(dry.json().get("expiresAt").isNull()).isTrue();
        JsonNode engine = post("/pools/EUR-USDT/quote", SK, onRamp("100.67"), null).json();
        assertThat(engine.get("unavailableReason").asText()).isEqualTo("engine_unavailable");
    }

    @Test
    void rejectQuoteOnceThen409() {
        String id = firmQuote("20.00");
        Res r = post("/pools/quotes/" + id + "/reject", SK, null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("rejected");
        assertError(post("/pools/quotes/" + id + "/reject", SK, null, null), 409, "conflict", "quote_not_active");
        assertThat(get("/pools/quotes/" + id, SK).json().get("status").asText()).isEqualTo("rejected");
        assertError(transact(id, "k-rejected"), 409, "conflict", "quote_rejected");
    }

    @Test
    void transactThenReadsAndLists() {
        String id = firmQuote("100.00");
        Res t = transact(id, "pool-tx:order-1");
        assertThat(t.status()).isEqualTo(200);
        JsonNode trade = t.json();
        assertThat(trade.get("transactId").asText()).startsWith("txn_test_");
        assertThat(trade.get("status").asText()).isEqualTo("reserved");
        assertThat(fieldNames(trade)).containsExactly("transactId", "quoteId", "poolId", "side", "status",
                "fiatCurrency", "cryptoCurrency", "fiatAmount", "cryptoAmount", "rate", "spreadBps", "feeBps",
                "totalBps", "cryptoNetwork", "destAddress", "destNetwork", "createdAt", "updatedAt");
        assertThat(trade.get("fiatAmount").isTextual()).isTrue();
        assertThat(trade.get("totalBps").isInt()).isTrue();
        assertThat(get("/pools/quotes/" + id, SK).json().get("status").asText()).isEqualTo("consumed");
        clock.advance(Duration.ofMinutes(5));   // consumed stays consumed after expiry
        assertThat(get("/pools/quotes/" + id, SK).json().get("status").asText()).isEqualTo("consumed");

        String txn = trade.get("transactId").asText();
        assertThat(get("/pools/trades/" + txn, SK).json()).isEqualTo(trade);
        JsonNode list = get("/pools/trades", SK).json();
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.get("nextCursor").isNull()).isTrue();
        assertThat(list.get("hasMore").asBoolean()).isFalse();

        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("currency").asText()).isEqualTo("EUR");
        assertThat(ledger.get("available").asText()).isEqualTo("999900.00");
        JsonNode debit = ledger.get("entries").get(0);
        assertThat(debit.get("delta").asText()).isEqualTo("-100.00");
        assertThat(debit.get("reason").asText()).isEqualTo("buy_debit");
        assertThat(debit.get("ref").asText()).isEqualTo(id);
        assertThat(debit.get("createdAt").asText()).isEqualTo("2026-06-01T10:00:00Z");
        assertThat(ledger.get("entries").get(1).get("reason").asText()).isEqualTo("payin_credit");
        assertThat(ledger.get("nextCursor").isNull()).isTrue();
        assertThat(get("/pools/EUR-USDT/balance", SK).json().get("balance").asText()).isEqualTo("999900.00");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void routingKeepsLiteralSegmentsApartFromPoolIds() {
        assertThat(get("/pools/trades", SK).status()).isEqualTo(200);
        assertThat(get("/pools/ledger", SK).status()).isEqualTo(200);
        assertError(get("/pools/quotes/capabilities", SK), 404, "not_found", "not_found");
        assertError(get("/pools/EUR-USDT/unknown", SK), 404, "not_found", "not_found");
        assertError(post("/pools", PK, "{}", null), 405, "invalid_request", "method_not_allowed");
    }

    static java.util.List<String> fieldNames(JsonNode n) {
        java.util.List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
