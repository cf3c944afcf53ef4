package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Trade state machine driven by the status poll (§4.2, G-22), per Scenario, with ledger effects. */
class SettlementContractTest extends SandboxTestSupport {

    @BeforeEach
    void up() {
        start();
    }

    private String poll(String quoteId) {
        Res r = get("/pools/transactions/" + quoteId, SK);
        assertThat(r.status()).isEqualTo(200);
        return r.json().get("status").asText();
    }

    @Test
    void settlesOnSecondPollAndReadsNeverAdvance() {
        String q = firmQuote("100.00");
        String txn = transact(q, "s1").json().get("transactId").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/pools/trades/" + txn, SK).json().get("status").asText()).isEqualTo("reserved");
            assertThat(get("/pools/trades", SK).json().get("data").get(0).get("status").asText()).isEqualTo("reserved");
        }
        assertThat(poll(q)).isEqualTo("reserved");
        assertThat(poll(q)).isEqualTo("settled");
        assertThat(poll(q)).isEqualTo("settled");   // terminal stays terminal
        assertThat(get("/pools/trades/" + txn, SK).json().get("status").asText()).isEqualTo("settled");
        assertThat(get("/pools/ledger", SK).json().get("entries")).hasSize(2);   // pay-in + debit, no refund
    }

    @Test
    void failedAndReleasedRefund() {
        String failed = firmQuote("100.13");
        String released = firmQuote("100.14");
        transact(failed, "f");
        transact(released, "r");
        poll(failed);
        poll(released);
        assertThat(poll(failed)).isEqualTo("failed");
        assertThat(poll(released)).isEqualTo("released");
        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("available").asText()).isEqualTo("1000000.00");
        JsonNode refund = ledger.get("entries").get(0);
        assertThat(refund.get("reason").asText()).isEqualTo("buy_refund");
        assertThat(refund.get("delta").asText()).isEqualTo("100.14");
        assertThat(refund.get("ref").asText()).isEqualTo(released);
    }

    @Test
    void settledThenReturnedOnALaterPollInPollMode() {
        sandbox.close();
        start(SandboxConfig.defaults().with("settings.returned.mode", "poll"));
        String q = firmQuote("100.15");
        transact(q, "ret");
        assertThat(poll(q)).isEqualTo("reserved");
        assertThat(poll(q)).isEqualTo("settled");
        assertThat(poll(q)).isEqualTo("returned");
        assertThat(poll(q)).isEqualTo("returned");
        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("entries").get(0).get("reason").asText()).isEqualTo("buy_refund");
        assertThat(ledger.get("available").asText()).isEqualTo("1000000.00");
    }

    @Test
    void pollOfNeverTransactedQuoteIs404() {
        assertError(get("/pools/transactions/" + firmQuote("100.00"), SK), 404, "not_found", "not_found");
    }

    @Test
    void scenarioRule() {
        assertThat(Scenario.of(new java.math.BigDecimal("7.13"))).isEqualTo(Scenario.FAILED);
        assertThat(Scenario.of(new java.math.BigDecimal("7.14"))).isEqualTo(Scenario.RELEASED);
        assertThat(Scenario.of(new java.math.BigDecimal("7.15"))).isEqualTo(Scenario.SETTLED_THEN_RETURNED);
        assertThat(Scenario.of(new java.math.BigDecimal("7.66"))).isEqualTo(Scenario.POOL_DRY);
        assertThat(Scenario.of(new java.math.BigDecimal("7.67"))).isEqualTo(Scenario.ENGINE_UNAVAILABLE);
        assertThat(Scenario.of(new java.math.BigDecimal("7"))).isEqualTo(Scenario.SETTLED);
    }
}
