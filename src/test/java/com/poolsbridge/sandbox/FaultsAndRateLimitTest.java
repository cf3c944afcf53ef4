package com.poolsbridge.sandbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate-limit headers and 429s (§7.1, G-13), fault injection in-process and over the admin endpoint, journal. */
class FaultsAndRateLimitTest extends SandboxTestSupport {

    @Test
    void rateLimitHeadersOnEveryResponse() {
        start();
        Res ok = get("/pools", PK);
        Res err = get("/pools", null);
        for (Res r : new Res[] {ok, err}) {
            assertThat(r.header("X-RateLimit-Limit-short")).isEqualTo("10");
            assertThat(r.header("X-RateLimit-Remaining-short")).isNotNull();
            assertThat(r.header("X-RateLimit-Reset-short")).isNotNull();
        }
        assertThat(err.header("X-RateLimit-Remaining-short")).isEqualTo("8");
    }

    @Test
    void enforcedShortTierGives429WithRetryAfterShort() {
        start(SandboxConfig.defaults().with("settings.rateLimits.enabled", true));
        for (int i = 0; i < 10; i++) {
            assertThat(get("/pools", PK).status()).isEqualTo(200);
        }
        Res limited = get("/pools", PK);
        assertError(limited, 429, "rate_limited", "rate_limited");
        assertThat(limited.header("Retry-After-short")).isEqualTo("10");
        assertThat(limited.header("Retry-After")).isNull();
        assertThat(limited.header("X-RateLimit-Remaining-short")).isEqualTo("0");
        clock.advance(Duration.ofSeconds(10));
        assertThat(get("/pools", PK).status()).isEqualTo(200);
    }

    @Test
    void rateLimitBurstFault() {
        start();
        sandbox.faults().rateLimitBurst("listPools", 1, 7);
        Res r = get("/pools", PK);
        assertError(r, 429, "rate_limited", "rate_limited");
        assertThat(r.header("Retry-After-short")).isEqualTo("7");
        assertThat(get("/pools", PK).status()).isEqualTo(200);
    }

    @Test
    void failBeforeCommitChangesNothing() {
        start();
        String q = firmQuote("100.00");
        sandbox.faults().failBeforeCommit("transact", 1);
        Res r = transact(q, "fb");
        assertError(r, 500, "server_error", "server_error");
        assertThat(r.json().get("message").asText()).isEqualTo("An internal error occurred");
        assertThat(sandbox.tradeCount()).isZero();
        assertThat(transact(q, "fb").status()).isEqualTo(200);
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void failAfterCommitThenRetryWithSameKeyGivesOneTrade() {
        start();
        String q = firmQuote("100.00");
        sandbox.faults().failAfterCommit("transact", 1);
        assertError(transact(q, "fa"), 500, "server_error", "server_error");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
        Res retry = transact(q, "fa");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("status").asText()).isEqualTo("reserved");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void resetAfterCommitDropsConnectionThenRetryGivesOneTrade() {
        start();
        String q = firmQuote("100.00");
        sandbox.faults().resetAfterCommit("transact", 1);
        HttpRequest req = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/pools/EUR-USDT/transact"))
                .header("Authorization", "Bearer " + SK).header("Idempotency-Key", "rs")
                .POST(HttpRequest.BodyPublishers.ofString("{\"quoteId\":\"" + q + "\"}")).build();
        assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(sandbox.tradeCount()).isEqualTo(1);
        assertThat(transact(q, "rs").status()).isEqualTo(200);
        assertThat(sandbox.tradeCount()).isEqualTo(1);
        assertThat(sandbox.journal()).filteredOn(r -> r.pathAndQuery().endsWith("/transact"))
                .extracting(RecordedRequest::status).containsExactly(0, 200);
    }

    @Test
    void adminEndpointInjectsAndClearsFaults() {
        start();
        String admin = sandbox.baseUrl().replace("/v1", "/__admin");
        Res set = send(HttpRequest.newBuilder(URI.create(admin + "/faults")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"route\":\"getFunding\",\"mode\":\"fail_before_commit\",\"count\":2,\"latencyMs\":null,\"retryAfterSeconds\":null}")).build());
        assertThat(set.status()).isEqualTo(200);
        assertThat(get("/pools/funding", SK).status()).isEqualTo(500);
        assertThat(send(HttpRequest.newBuilder(URI.create(admin + "/faults")).DELETE().build()).status()).isEqualTo(200);
        assertThat(get("/pools/funding", SK).status()).isEqualTo(200);
        Res bad = send(HttpRequest.newBuilder(URI.create(admin + "/faults")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"route\":\"nope\",\"mode\":\"latency\"}")).build());
        assertThat(bad.status()).isEqualTo(400);

        Res patch = send(HttpRequest.newBuilder(URI.create(admin + "/partners/demo-bank")).POST(
                HttpRequest.BodyPublishers.ofString("{\"status\":\"suspended\"}")).build());
        assertThat(patch.status()).isEqualTo(200);
        assertError(get("/pools/EUR-USDT/capabilities", SK), 403, "forbidden", "pool_access_suspended");

        Res journal = send(HttpRequest.newBuilder(URI.create(admin + "/journal")).GET().build());
        assertThat(journal.json().get(0).get("path").asText()).isEqualTo("/v1/pools/funding");
    }

    @Test
    void faultsFromConfigAndJournalMasksKeys() {
        start(SandboxConfig.parse("""
                settings: {quoteTtlSeconds: 15, pollsToTerminal: 2, poolNotAllowedAs403: true, consumedQuoteReplays: true,
                  idempotencyRetentionHours: 24,
                  rateLimits: {enabled: false, short: {limit: 10, windowSeconds: 10}, medium: {limit: 60, windowSeconds: 60}, long: {limit: 300, windowSeconds: 3600}},
                  webhooks: {signatureHeader: Pools-Signature, maxAttempts: 1, backoff: [], timeoutSeconds: 1}}
                partners:
                  - {id: p, publishableKey: pk_test_p, secretKey: sk_test_p_secret, productEnabled: true, status: active,
                     kycStatus: approved, tier: standard, allowedPools: [], webhookSecret: whsec_p}
                faults:
                  - {route: getFunding, mode: fail_before_commit, count: 1}
                """));
        Res r = get("/pools/funding", "sk_test_p_secret");
        assertThat(r.status()).isEqualTo(500);
        RecordedRequest rec = sandbox.journal().get(0);
        assertThat(rec.header("Authorization")).isEqualTo("Bearer sk_test_…");
        assertThat(rec.status()).isEqualTo(500);
        assertThat(rec.requestId()).isEqualTo(r.header("X-Request-Id"));
        sandbox.clearJournal();
        assertThat(sandbox.journal()).isEmpty();
    }
}
