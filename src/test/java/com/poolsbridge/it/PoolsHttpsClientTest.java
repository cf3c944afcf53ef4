package com.poolsbridge.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.Orders;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The 0Pools client on the https path, as production runs it: every call carries the key, the configured
 * response timeout applies (not HttpClient's 3 minutes), and the client itself never retries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolsHttpsClientTest {

    private static final Duration SLOW = Duration.ofSeconds(4);
    private BridgeHarness bridge;

    @BeforeAll
    void start() throws Exception {
        bridge = BridgeHarness.start(Map.of("pools.http.response-timeout-ms", "800"));
    }

    @AfterAll
    void stop() throws Exception {
        bridge.close();
    }

    @Test
    void aSlowTransactTimesOutAtTheConfiguredValueAndCamelAloneRetriesWithTheSameKey() throws Exception {
        assertThat(bridge.sandbox().baseUrl()).startsWith("https://");
        long tradesBefore = bridge.sandbox().tradeCount();
        bridge.sandbox().faults().latencyAfterCommit("transact", SLOW);
        String id = Orders.newId("https-slow");
        bridge.jms().sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "110.00"));

        // the first transact took effect and its response is held: only that one attempt is slowed
        await().atMost(Duration.ofSeconds(20)).until(() -> bridge.sandbox().tradeCount() - tradesBefore == 1);
        bridge.sandbox().faults().clear();
        Message reply = bridge.jms().reply(id, 30_000);
        assertThat(reply).isNotNull();
        assertThat(new ObjectMapper().readTree(com.poolsbridge.support.JmsClient.text(reply)).get("outcome").asText())
                .isEqualTo("accepted");

        // the journal records a request when its response is written: the slowed first one comes in last
        await().atMost(SLOW.multipliedBy(3)).until(() -> transacts(id).size() >= 2);
        List<RecordedRequest> transacts = transacts(id).stream()
                .sorted(java.util.Comparator.comparing(RecordedRequest::receivedAt)).toList();
        // the first attempt was abandoned at the client's timeout: the retry arrived while 0Pools was still
        // holding the first response, with the same key; no extra attempt came from the HTTP client itself
        assertThat(transacts.size()).isBetween(2, 5);
        assertThat(transacts.get(1).receivedAt()).isBefore(transacts.get(0).receivedAt().plus(SLOW));
        assertThat(transacts).extracting(r -> r.header("Idempotency-Key")).containsOnly(transacts.get(0).header("Idempotency-Key"));
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(1);
        assertThat(bridge.sandbox().journal()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.scheme()).isEqualTo("https");
            assertThat(r.authorizationPresent()).isTrue();
        });
    }

    private List<RecordedRequest> transacts(String orderId) {
        return bridge.sandbox().journal().stream().filter(r -> r.pathAndQuery().contains("/transact")
                && r.header("Idempotency-Key") != null && r.header("Idempotency-Key").contains(orderId)).toList();
    }
}
