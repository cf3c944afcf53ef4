package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset pagination of trades (§5, G-19) and ledger (§8.3). */
class PaginationContractTest extends SandboxTestSupport {

    @BeforeEach
    void up() {
        start();
    }

    private String trade(int i) {
        clock.advance(Duration.ofSeconds(1));
        return transact(firmQuote("10" + i + ".00"), "p" + i).json().get("transactId").asText();
    }

    @Test
    void stableAcrossInsertsNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(trade(i));
        }
        JsonNode page1 = get("/pools/trades?limit=2", SK).json();
        assertThat(page1.get("hasMore").asBoolean()).isTrue();
        List<String> seen = new ArrayList<>(ids(page1));
        trade(7);   // inserted between pages: must not shift the next page
        String cursor = page1.get("nextCursor").asText();
        while (!cursor.isEmpty()) {
            JsonNode page = get("/pools/trades?limit=2&cursor=" + cursor, SK).json();
            seen.addAll(ids(page));
            cursor = page.get("nextCursor").isNull() ? "" : page.get("nextCursor").asText();
            if (cursor.isEmpty()) {
                assertThat(page.get("hasMore").asBoolean()).isFalse();
            }
        }
        assertThat(seen).containsExactly(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
    }

    @Test
    void filtersAndValidation() {
        trade(1);
        String t2 = trade(2);
        clock.advance(Duration.ofSeconds(1));
        String q3 = firmQuote("100.13");
        transact(q3, "p3");
        get("/pools/transactions/" + q3, SK);
        get("/pools/transactions/" + q3, SK);
        assertThat(ids(get("/pools/trades?status=failed", SK).json())).hasSize(1);
        assertThat(ids(get("/pools/trades?side=on_ramp", SK).json())).hasSize(3);
        assertThat(ids(get("/pools/trades?created_after=2026-06-01T10:00:01Z&created_before=2026-06-01T10:00:03Z", SK).json()))
                .containsExactly(t2);
        assertError(get("/pools/trades?limit=0", SK), 400, "invalid_request", "invalid_request");
        assertError(get("/pools/trades?limit=101", SK), 400, "invalid_request", "invalid_request");
        assertError(get("/pools/trades?status=done", SK), 400, "invalid_request", "invalid_request");
        assertError(get("/pools/trades?side=buy", SK), 400, "invalid_request", "invalid_request");
        assertError(get("/pools/trades?created_after=yesterday", SK), 400, "invalid_request", "invalid_request");
        assertError(get("/pools/trades?cursor=txn_test_unknown", SK), 400, "invalid_request", "invalid_request");
    }

    @Test
    void ledgerPagesAndClampsLimit() {
        for (int i = 0; i < 3; i++) {
            trade(i);
        }
        JsonNode first = get("/pools/ledger?limit=0", SK).json();   // clamped to 1
        assertThat(first.get("entries")).hasSize(1);
        assertThat(first.get("nextCursor").isTextual()).isTrue();
        JsonNode rest = get("/pools/ledger?limit=500&cursor=" + first.get("nextCursor").asText(), SK).json();
        assertThat(rest.get("entries")).hasSize(3);
        assertThat(rest.get("entries").get(2).get("reason").asText()).isEqualTo("payin_credit");
        assertThat(rest.get("nextCursor").isNull()).isTrue();
        assertError(get("/pools/ledger?currency=USD", SK), 400, "invalid_request", "invalid_request");
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(t -> out.add(t.get("transactId").asText()));
        return out;
    }
}
