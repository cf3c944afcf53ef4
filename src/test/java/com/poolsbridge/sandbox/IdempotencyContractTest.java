package com.poolsbridge.sandbox;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** transact idempotency (G-9, G-14): replays, key reuse, in-flight duplicates, quoteId idempotency, retention. */
class IdempotencyContractTest extends SandboxTestSupport {

    @BeforeEach
    void up() {
        start();
    }

    @Test
    void sameKeySameBodyReplaysOriginalBody() {
        String q = firmQuote("100.00");
        Res first = transact(q, "pool-tx:o1");
        clock.advance(Duration.ofSeconds(30));   // replay works even after the quote expired
        Res replay = post("/pools/EUR-USDT/transact", SK, "{ \"quoteId\" : \"" + q + "\" }", "pool-tx:o1");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.raw().body()).isEqualTo(first.raw().body());
        // §3.8: replays are identical in status, body and headers, so the original X-Request-Id too
        assertThat(replay.header("X-Request-Id")).isEqualTo(first.header("X-Request-Id"));
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void sameKeyDifferentBodyIs409() {
        transact(firmQuote("100.00"), "k");
        assertError(transact(firmQuote("100.00"), "k"), 409, "conflict", "idempotency_key_reused");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void sameQuoteWithAnotherKeyReturnsSameTrade() {
        String q = firmQuote("100.00");
        Res a = transact(q, "k-a");
        Res b = transact(q, "k-b");
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().get("transactId")).isEqualTo(a.json().get("transactId"));
        assertThat(sandbox.tradeCount()).isEqualTo(1);
        assertThat(get("/pools/ledger", SK).json().get("entries")).hasSize(2);   // one debit only
    }

    @Test
    void concurrentDuplicateGivesOneWinnerAndOne409() throws Exception {
        String q = firmQuote("100.00");
        sandbox.faults().latency("transact", Duration.ofMillis(400));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Res>> calls = List.of(
                CompletableFuture.supplyAsync(() -> { await(go); return transact(q, "dup"); }),
                CompletableFuture.supplyAsync(() -> { await(go); return transact(q, "dup"); }));
        go.countDown();
        List<Res> results = calls.stream().map(CompletableFuture::join).toList();
        assertThat(results).extracting(Res::status).containsExactlyInAnyOrder(200, 409);
        Res loser = results.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        assertError(loser, 409, "conflict", "operation_in_progress");
        assertThat(loser.json().get("message").asText()).isEqualTo("Operation already in progress");
        assertThat(sandbox.tradeCount()).isEqualTo(1);
    }

    @Test
    void errorsAreNotStoredSoARetryReExecutes() {
        String q = firmQuote("100.00");
        sandbox.updatePartner("demo-bank", p -> p.balance(new java.math.BigDecimal("10.00")));
        assertError(transact(q, "k402"), 402, "invalid_request", "insufficient_balance");
        sandbox.updatePartner("demo-bank", p -> p.balance(new java.math.BigDecimal("500.00")));
        assertThat(transact(q, "k402").status()).isEqualTo(200);
    }

    @Test
    void keysAreForgottenAfterRetention() {
        transact(firmQuote("100.00"), "old");
        clock.advance(Duration.ofHours(24));
        assertThat(transact(firmQuote("100.00"), "old").status()).isEqualTo(200);
        assertThat(sandbox.tradeCount()).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
