package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 6 §3 and issue 8 §2: where our code depends on the sandbox behaving like the real 0Pools. */
class ProductionFidelityContractTest extends SandboxTestSupport {

    private Res offRampQuote(String amount) {
        Res r = post("/pools/EUR-USDC/quote", SK, "{\"side\":\"off_ramp\",\"amount\":\"" + amount
                + "\",\"cryptoNetwork\":\"ethereum\"}", null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r;
    }

    private BigDecimal ledgerSum(JsonNode ledger) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode e : ledger.get("entries")) {
            sum = sum.add(new BigDecimal(e.get("delta").asText()));
        }
        return sum;
    }

    @Test
    void offRampRateIsFiatPerCryptoAndDoesNotDrawOnThePrefundedBalance() {
        start();
        sandbox.updatePartner("demo-bank", p -> p.offRampEnabled(true).balance(new BigDecimal("1.00")));
        JsonNode q = offRampQuote("100.00").json();
        assertThat(q.get("rate").asText()).isEqualTo("0.932400");   // 1 / 1.0725, output (EUR) per input (USDC)
        assertThat(q.get("cryptoAmount").asText()).isEqualTo("100.00");
        assertThat(q.get("fiatAmount").asText()).isEqualTo("93.24");
        Res t = post("/pools/EUR-USDC/transact", SK, "{\"quoteId\":\"" + q.get("quoteId").asText() + "\"}", "off-1");
        assertThat(t.status()).as("balance 1.00 does not block a sell").isEqualTo(200);
        assertThat(t.json().get("rate").asText()).isEqualTo("0.932400");
        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("entries")).extracting(e -> e.get("reason").asText()).containsExactly("payin_credit");
        assertThat(ledger.get("available").asText()).isEqualTo("1.00");
    }

    @Test
    void serverErrorFaultsAndReservationConflictChangeNothing() {
        start();
        String q = firmQuote("100.00");
        for (int status : new int[] {502, 503, 504}) {
            sandbox.faults().failBeforeCommit("transact", 1, status);
            Res r = transact(q, "k");
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.json().get("type").asText()).isEqualTo("server_error");
            assertThat(r.json().get("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
        }
        sandbox.faults().reservationConflict(1);
        assertError(transact(q, "k"), 409, "conflict", "reservation_conflict");
        assertThat(sandbox.tradeCount()).isZero();
        assertThat(transact(q, "k").status()).isEqualTo(200);
    }

    @Test
    void storedServerErrorIsReplayedForTheSameKeyWithItsRequestId() {
        start();
        String q = firmQuote("100.00");
        sandbox.faults().storedServerError(1, 503);
        Res first = transact(q, "stored");
        Res again = transact(q, "stored");
        assertThat(first.status()).isEqualTo(503);
        assertThat(again.status()).isEqualTo(503);
        assertThat(again.raw().body()).isEqualTo(first.raw().body());
        assertThat(again.header("X-Request-Id")).isEqualTo(first.header("X-Request-Id"));
        assertThat(sandbox.tradeCount()).isZero();
        assertThat(transact(q, "fresh-key").status()).as("a new key executes").isEqualTo(200);
    }

    @Test
    void storeServerErrorsFlagKeepsInjected5xx() {
        start(SandboxConfig.defaults().with("settings.idempotencyStoreErrors", "server"));
        String q = firmQuote("100.00");
        sandbox.faults().failBeforeCommit("transact", 1);
        assertThat(transact(q, "k").status()).isEqualTo(500);
        assertThat(transact(q, "k").status()).isEqualTo(500);
        assertThat(sandbox.tradeCount()).isZero();
    }

    @Test
    void slowResponseAfterCommitExceedsAClientTimeoutButTheTradeExists() {
        start();
        String q = firmQuote("100.00");
        sandbox.faults().latencyAfterCommit("transact", Duration.ofMillis(1500));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/pools/EUR-USDT/transact"))
                .timeout(Duration.ofMillis(200)).header("Authorization", "Bearer " + SK).header("Idempotency-Key", "slow")
                .POST(HttpRequest.BodyPublishers.ofString("{\"quoteId\":\"" + q + "\"}")).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.tradeCount()).isEqualTo(1);
        sandbox.faults().latencyAfterCommit("transact", null);
        assertThat(transact(q, "slow").json().get("status").asText()).isEqualTo("reserved");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void payInAtRunTimeKeepsTheLedgerSummingToAvailable() {
        start();
        transact(firmQuote("100.00"), "p1");
        sandbox.payIn("demo-bank", new BigDecimal("250.00"));
        String admin = sandbox.baseUrl().replace("/v1", "/__admin");
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/partners/demo-bank/payins"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":\"50.00\"}")).build()).status()).isEqualTo(200);
        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("entries").get(0).get("reason").asText()).isEqualTo("payin_credit");
        assertThat(ledger.get("entries").get(0).get("ref").asText()).isEqualTo("0P-DEMOBANK-7QK2");
        assertThat(ledger.get("available").asText()).isEqualTo("1000200.00");
        assertThat(ledgerSum(ledger)).isEqualByComparingTo(ledger.get("available").asText());
    }

    @Test
    void poolMadeUnavailableAtRunTime() {
        start();
        String admin = sandbox.baseUrl().replace("/v1", "/__admin");
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/pools/EUR-USDT"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"available\":false}")).build()).status()).isEqualTo(200);
        JsonNode q = post("/pools/EUR-USDT/quote", SK, onRamp("100.00"), null).json();
        assertThat(q.get("available").asBoolean()).isFalse();
        assertThat(q.get("unavailableReason").asText()).isEqualTo("rate_unavailable");
        assertThat(q.get("quoteId").isNull()).isTrue();
        assertThat(get("/pools", PK).json().get("pools").get(0).get("available").asBoolean()).isFalse();
        sandbox.setPoolAvailable("EUR-USDT", true, null);
        assertThat(post("/pools/EUR-USDT/quote", SK, onRamp("100.00"), null).json().get("available").asBoolean()).isTrue();
    }

    @Test
    void healthNeedsNoKeyAndIsNeverThrottled() {
        start(SandboxConfig.defaults().with("settings.rateLimits.short.limit", 1).with("settings.rateLimits.enabled", true));
        assertThat(get("/pools", PK).status()).isEqualTo(200);
        assertThat(get("/pools", PK).status()).isEqualTo(429);
        String health = sandbox.baseUrl().replace("/v1", "") + "/health";
        for (int i = 0; i < 3; i++) {
            Res r = send(HttpRequest.newBuilder(URI.create(health)).build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("status").asText()).isEqualTo("ok");
            assertThat(r.header("X-RateLimit-Remaining-short")).isNull();
        }
        assertThat(get("/health", null).status()).isEqualTo(200);   // also under /v1
    }

    @Test
    void rateLimitHeadersOn404And405() {
        start();
        for (Res r : new Res[] {get("/nothing-here", SK), post("/pools", PK, "{}", null)}) {
            assertThat(r.status()).isIn(404, 405);
            assertThat(r.header("X-RateLimit-Limit-short")).isEqualTo("10");
            assertThat(r.header("X-RateLimit-Remaining-short")).isNotNull();
            assertThat(r.header("X-RateLimit-Reset-short")).isNotNull();
        }
    }

    @Test
    void kycGateDoesNotDependOnTheTier() {
        start();
        sandbox.updatePartner("demo-bank", p -> p.tier(null).kycStatus("pending"));
        assertError(get("/pools/EUR-USDT/capabilities", SK), 403, "forbidden", "kyc_not_approved");
        sandbox.updatePartner("demo-bank", p -> p.kycStatus("approved"));
        assertError(get("/pools/EUR-USDT/capabilities", SK), 403, "forbidden", "pool_access_suspended");
    }

    @Test
    void rateLimitsSwitchedOnAtRunTimeNameTheRefusingTier() {
        start();
        String admin = sandbox.baseUrl().replace("/v1", "/__admin");
        Res on = send(HttpRequest.newBuilder(URI.create(admin + "/rate-limits")).POST(HttpRequest.BodyPublishers
                .ofString("{\"enabled\":true,\"short\":{\"limit\":100,\"windowSeconds\":10},\"medium\":{\"limit\":3,\"windowSeconds\":60}}")).build());
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.json().get("long").get("limit").asInt()).isEqualTo(300);   // untouched tiers kept
        for (int i = 0; i < 3; i++) {
            assertThat(get("/pools", PK).status()).isEqualTo(200);
        }
        Res limited = get("/pools", PK);
        assertError(limited, 429, "rate_limited", "rate_limited");
        assertThat(limited.header("Retry-After-medium")).isEqualTo("60");
        assertThat(limited.header("Retry-After-short")).isNull();
        assertThat(limited.header("X-RateLimit-Remaining-medium")).isEqualTo("0");

        sandbox.setRateLimits(SandboxConfig.RateLimits.documented(true));
        for (int i = 0; i < 10; i++) {
            assertThat(get("/pools", PK).status()).isEqualTo(200);
        }
        assertThat(get("/pools", PK).header("Retry-After-short")).isEqualTo("10");
    }

    @Test
    void returnedIsADownstreamEventSeenByReadsWithoutAPoll() {
        start();
        String q = firmQuote("100.15");
        String txn = transact(q, "ret").json().get("transactId").asText();
        get("/pools/transactions/" + q, SK);
        assertThat(get("/pools/transactions/" + q, SK).json().get("status").asText()).isEqualTo("settled");
        String window = "/pools/trades?status=returned&created_after=2026-06-01T09:00:00Z";
        assertThat(get(window, SK).json().get("data")).isEmpty();
        clock.advance(Duration.ofMillis(999));
        assertThat(get("/pools/trades/" + txn, SK).json().get("status").asText()).isEqualTo("settled");

        clock.advance(Duration.ofMillis(1));   // settings.returned.delay (1 s) after settled
        JsonNode page = get(window, SK).json();
        assertThat(page.get("data")).extracting(t -> t.get("transactId").asText()).containsExactly(txn);
        assertThat(page.get("data").get(0).get("status").asText()).isEqualTo("returned");
        assertThat(get("/pools/trades/" + txn, SK).json().get("status").asText()).isEqualTo("returned");
        assertThat(get("/pools/transactions/" + q, SK).json().get("status").asText()).isEqualTo("returned");
        JsonNode ledger = get("/pools/ledger", SK).json();
        assertThat(ledger.get("entries").get(0).get("reason").asText()).isEqualTo("buy_refund");
        assertThat(ledger.get("available").asText()).isEqualTo("1000000.00");
        assertThat(get(window.replace("09:00:00Z", "10:00:01Z"), SK).json().get("data")).isEmpty();
    }

    @Test
    void journalOverPlainHttpRecordsSchemeAndKeyPresence() {
        start();
        get("/pools", PK);
        get("/pools", null);
        assertThat(sandbox.journal()).extracting(RecordedRequest::scheme).containsOnly("http");
        assertThat(sandbox.journal()).extracting(RecordedRequest::authorizationPresent).containsExactly(true, false);
        String admin = sandbox.baseUrl().replace("/v1", "/__admin");
        Res journal = send(HttpRequest.newBuilder(URI.create(admin + "/journal")).build());
        assertThat(journal.json().get(0).get("authorizationPresent").asBoolean()).isTrue();
        assertThat(journal.raw().body()).doesNotContain(PK);
    }
}
