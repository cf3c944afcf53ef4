package com.poolsbridge.sandbox;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Auth, entitlement gates and validation errors, each with its documented status/type/code. */
class GatesContractTest extends SandboxTestSupport {

    @Test
    void unauthorizedForMissingMalformedOrUnknownKey() {
        start();
        assertError(get("/pools", null), 401, "unauthorized", "unauthorized");
        assertError(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/pools"))
                .header("Authorization", "Basic abc").build()), 401, "unauthorized", "unauthorized");
        assertError(get("/pools/trades", "sk_test_unknown"), 401, "unauthorized", "unauthorized");
    }

    @Test
    void keyModeMismatch() {
        start();
        assertError(get("/pools/trades", PK), 403, "forbidden", "key_mode_mismatch");
        assertError(get("/pools", SK), 403, "forbidden", "key_mode_mismatch");
        assertError(get("/pools", "pk_live_demobank_1"), 403, "forbidden", "key_mode_mismatch");
        assertError(get("/pools/EUR-USDT/capabilities", "sk_live_demobank_1"), 403, "forbidden", "key_mode_mismatch");
    }

    @Test
    void secretKeyOnDiscoveryWhenFlagAllows() {
        start(SandboxConfig.defaults().with("settings.allowSecretOnDiscovery", true));
        assertThat(get("/pools", SK).status()).isEqualTo(200);
    }

    @Test
    void entitlementDenialsOnEntitledRoutes() {
        start();
        assertError(get("/pools/EUR-USDT/capabilities", "sk_test_suspendedbank_000000000001"), 403, "forbidden", "pool_access_suspended");
        assertError(post("/pools/EUR-USDT/quote", "sk_test_kycpendingbank_00000000001", onRamp("100.00"), null),
                403, "forbidden", "kyc_not_approved");
        assertError(get("/pools/EUR-USDT/balance", "sk_test_notenabledbank_00000000001"), 403, "forbidden", "pools_not_enabled");
        assertError(post("/pools/EUR-USDT/transact", "sk_test_suspendedbank_000000000001", "{\"quoteId\":\"pq_x\"}", "k"),
                403, "forbidden", "pool_access_suspended");
        // G-4 default: non-entitled routes only need a valid secret key
        assertThat(get("/pools/trades", "sk_test_suspendedbank_000000000001").status()).isEqualTo(200);
        // discovery never shows pool-level denials
        assertThat(get("/pools", "pk_test_notenabledbank_00000000001").json().get("pools")).isEmpty();
    }

    @Test
    void gateAllRoutesFlag() {
        start(SandboxConfig.defaults().with("settings.gateAllRoutes", true));
        assertError(get("/pools/trades", "sk_test_suspendedbank_000000000001"), 403, "forbidden", "pool_access_suspended");
    }

    @Test
    void runtimePartnerChangesApply() {
        start();
        sandbox.updatePartner("demo-bank", p -> p.kycStatus("revoked"));
        assertError(get("/pools/EUR-USDT/capabilities", SK), 403, "forbidden", "kyc_not_approved");
        sandbox.updatePartner("demo-bank", p -> p.kycStatus("approved"));
        assertThat(get("/pools/EUR-USDT/capabilities", SK).status()).isEqualTo(200);
    }

    @Test
    void poolScope() {
        start();
        assertError(get("/pools/EUR-GBP/capabilities", SK), 404, "not_found", "not_found");
        assertError(get("/pools/EUR-USDT/balance", OTHER_SK), 404, "not_found", "not_found");
        assertError(post("/pools/EUR-USDT/quote", OTHER_SK, onRamp("100.00"), null), 403, "forbidden", "pool_not_allowed");
    }

    @Test
    void poolNotAllowedAs404WhenFlagOff() {
        start(SandboxConfig.defaults().with("settings.poolNotAllowedAs403", false));
        assertError(post("/pools/EUR-USDT/quote", OTHER_SK, onRamp("100.00"), null), 404, "not_found", "not_found");
    }

    @Test
    void crossTenantIdsAre404() {
        start();
        String id = firmQuote("100.00");
        String txn = transact(id, "k1").json().get("transactId").asText();
        assertError(get("/pools/quotes/" + id, OTHER_SK), 404, "not_found", "not_found");
        assertError(post("/pools/quotes/" + id + "/reject", OTHER_SK, null, null), 404, "not_found", "not_found");
        assertError(get("/pools/transactions/" + id, OTHER_SK), 404, "not_found", "not_found");
        assertError(get("/pools/trades/" + txn, OTHER_SK), 404, "not_found", "not_found");
        assertThat(get("/pools/trades", OTHER_SK).json().get("data")).isEmpty();
        assertError(post("/pools/EUR-USDC/transact", OTHER_SK, "{\"quoteId\":\"" + id + "\"}", "k2"), 404, "not_found", "not_found");
    }

    @Test
    void quoteValidation() {
        start();
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"off_ramp\",\"amount\":\"100.00\"}", null),
                400, "invalid_request", "side_not_supported");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"buy\",\"amount\":\"100.00\"}", null),
                400, "invalid_request", "invalid_request");
        assertError(post("/pools/EUR-USDT/quote", SK, onRamp("1.00"), null), 400, "invalid_request", "amount_out_of_range");
        assertError(post("/pools/EUR-USDT/quote", SK, onRamp("60000.00"), null), 400, "invalid_request", "amount_out_of_range");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":100}", null),
                400, "invalid_request", "invalid_request");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\",\"cryptoNetwork\":\"solana\",\"destAddress\":\"x\"}", null),
                400, "invalid_request", "network_not_supported");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\",\"destAddress\":\"" + ETH + "\"}", null),
                400, "invalid_request", "invalid_dest_address");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\",\"cryptoCurrency\":\"USDC\",\"destAddress\":\"" + TRON + "\"}", null),
                400, "invalid_request", "pair_mismatch");
        assertError(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\"}", null),
                400, "invalid_request", "invalid_request");   // firm on_ramp needs destAddress
        assertError(post("/pools/EUR-USDT/quote", SK, "not json", null), 400, "invalid_request", "invalid_request");
        assertThat(post("/pools/EUR-USDT/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\",\"cryptoNetwork\":\"ethereum\",\"destAddress\":\"" + ETH + "\"}", null)
                .status()).isEqualTo(200);
    }

    @Test
    void transactConflictsAndLimits() {
        start();
        assertError(transact(firmQuote("100.00"), null), 400, "invalid_request", "idempotency_key_required");
        assertError(transact(firmQuote("100.00"), "x".repeat(256)), 400, "invalid_request", "invalid_request");
        assertError(transact("pq_test_nope", "k-none"), 404, "not_found", "not_found");

        String expired = firmQuote("100.00");
        clock.advance(Duration.ofSeconds(16));
        assertError(transact(expired, "k-exp"), 409, "conflict", "quote_expired");
        assertError(post("/pools/quotes/" + expired + "/reject", SK, null, null), 409, "conflict", "quote_not_active");

        String usdc = post("/pools/EUR-USDC/quote", SK, "{\"side\":\"on_ramp\",\"amount\":\"100.00\",\"cryptoNetwork\":\"ethereum\",\"destAddress\":\"" + ETH + "\"}", null)
                .json().get("quoteId").asText();
        assertError(transact(usdc, "k-pair"), 400, "invalid_request", "pair_mismatch");

        sandbox.updatePartner("demo-bank", p -> p.balance(new BigDecimal("50.00")));
        assertError(transact(firmQuote("100.00"), "k-402"), 402, "invalid_request", "insufficient_balance");
        assertThat(sandbox.tradeCount()).isZero();
    }

    @Test
    void offRampNotEnabledIs501() {
        start();
        String q = post("/pools/EUR-USDC/quote", SK, "{\"side\":\"off_ramp\",\"amount\":\"100.00\",\"cryptoNetwork\":\"ethereum\"}", null)
                .json().get("quoteId").asText();
        assertError(post("/pools/EUR-USDC/transact", SK, "{\"quoteId\":\"" + q + "\"}", "k-off"), 501, "server_error", "off_ramp_not_enabled");
        sandbox.updatePartner("demo-bank", p -> p.offRampEnabled(true));
        assertThat(post("/pools/EUR-USDC/transact", SK, "{\"quoteId\":\"" + q + "\"}", "k-off2").status()).isEqualTo(200);
    }

    @Test
    void velocityCapIs429WithoutRetryAfter() {
        start(SandboxConfig.defaults().with("partners.0.velocityCapEur", "150.00"));
        assertThat(transact(firmQuote("100.00"), "v1").status()).isEqualTo(200);
        Res r = transact(firmQuote("100.00"), "v2");
        assertError(r, 429, "rate_limited", "velocity_limit_exceeded");
        assertThat(r.header("Retry-After-short")).isNull();
        assertThat(r.header("Retry-After")).isNull();
        // quotes and reads are unaffected
        assertThat(get("/pools/trades", SK).status()).isEqualTo(200);
    }

    @Test
    void consumedQuoteAs409WhenReplayFlagOff() {
        start(SandboxConfig.defaults().with("settings.consumedQuoteReplays", false));
        String q = firmQuote("100.00");
        assertThat(transact(q, "a").status()).isEqualTo(200);
        assertError(transact(q, "b"), 409, "conflict", "quote_consumed");
    }
}
