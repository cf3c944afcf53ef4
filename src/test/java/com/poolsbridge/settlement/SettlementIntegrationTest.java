package com.poolsbridge.settlement;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.JsonSchemas;
import com.poolsbridge.support.Orders;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.poolsbridge.settlement.SettlementTestSupport.order;
import static com.poolsbridge.settlement.SettlementTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on loopback: order → reserved at the sandbox → polled (and webhooked) to its outcome → exactly one
 * message per terminal transition on pools.settlements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SETTLEMENTS = "pools.settlements";

    private BridgeHarness harness;
    private DataSource db;
    private String webhookUrl;

    @BeforeAll
    void start() throws Exception {
        harness = BridgeHarness.start(SettlementTestSupport.fastSettlement());
        db = SettlementTestSupport.dataSource(harness.context());
        webhookUrl = BridgeHarness.webhookUrl(harness.context());
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    private String placeOrder(String prefix, String amount) throws Exception {
        String orderId = Orders.newId(prefix);
        harness.jms().sendText("pools.orders", Orders.onRamp(orderId, "EUR-USDT", amount));
        Message reply = harness.jms().reply(orderId, 20_000);
        assertThat(reply).as("reply for " + orderId).isNotNull();
        assertThat(JSON.readTree(JmsClient.text(reply)).get("outcome").asText()).isEqualTo("accepted");
        return orderId;
    }

    private JsonNode nextSettlement(String orderId) throws Exception {
        Message m = harness.jms().receive(SETTLEMENTS, "JMSCorrelationID = '" + orderId + "'", 20_000);
        assertThat(m).as("settlement for " + orderId).isNotNull();
        JsonNode body = JSON.readTree(JmsClient.text(m));
        assertThat(JsonSchemas.validate("settlement.schema.json", body.toString())).isEmpty();
        assertThat(m.getStringProperty("_AMQ_DUPL_ID"))
                .isEqualTo("settlement:" + body.get("transactId").asText() + ":" + body.get("status").asText());
        return body;
    }

    private List<Message> remaining(String orderId) throws Exception {
        return harness.jms().drain(SETTLEMENTS, "JMSCorrelationID = '" + orderId + "'");
    }

    /** Waits until the order is no longer polled at all (final, or its watch window ended). */
    private void awaitPollingEnded(String orderId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> order(db, orderId).get("next_poll_at") == null);
    }

    @Test
    void eachOutcomeGivesExactlyOneMessage() throws Exception {
        String settled = placeOrder("it-settled", "100.00");
        String failed = placeOrder("it-failed", "100.13");
        String released = placeOrder("it-released", "100.14");

        JsonNode s = nextSettlement(settled);
        assertThat(s.get("status").asText()).isEqualTo("settled");
        assertThat(s.get("previousStatus").asText()).isEqualTo("reserved");
        assertThat(s.get("orderId").asText()).isEqualTo(settled);
        assertThat(s.get("fiatAmount").asText()).isEqualTo("100.00");
        assertThat(s.get("requestId").asText()).startsWith("req_");
        assertThat(nextSettlement(failed).get("status").asText()).isEqualTo("failed");
        assertThat(nextSettlement(released).get("status").asText()).isEqualTo("released");

        awaitPollingEnded(failed);
        awaitPollingEnded(released);
        awaitPollingEnded(settled);   // watched for 'returned' until the window closed
        assertThat(remaining(settled)).isEmpty();
        assertThat(remaining(failed)).isEmpty();
        assertThat(remaining(released)).isEmpty();
        assertThat(query(db, "SELECT * FROM settlement_event WHERE order_id IN (?, ?, ?)", settled, failed, released))
                .hasSize(3).allSatisfy(row -> assertThat(row.get("published_at")).isNotNull());
    }

    /** Issue 8 §2: over its whole watch window a settled order costs quote + transact + the polls the server needs. */
    @Test
    void aSettledOrderCostsItsQuoteItsTransactAndTheServersPollsOnly() throws Exception {
        harness.sandbox().clearJournal();
        String orderId = placeOrder("it-calls", "100.00");
        String quoteId = nextSettlement(orderId).get("quoteId").asText();

        await().atMost(Duration.ofSeconds(20)).until(() -> query(db,
                "SELECT 1 FROM order_record WHERE order_id = ? AND watch_until < now() - interval '500 milliseconds'",
                orderId).size() == 1);   // the 4 s watch window is over, a few returned reads later

        List<String> calls = harness.sandbox().journal().stream().map(r -> r.method() + " " + r.pathAndQuery()).toList();
        assertThat(calls).filteredOn(c -> c.startsWith("POST ") && c.endsWith("/quote")).hasSize(1);
        assertThat(calls).filteredOn(c -> c.startsWith("POST ") && c.endsWith("/transact")).hasSize(1);
        assertThat(calls).as("sandbox pollsToTerminal = 2; nothing polls the settled trade")
                .filteredOn(c -> c.contains("/pools/transactions/" + quoteId)).hasSize(2);
        assertThat(calls).as("returned detection is one shared read per interval")
                .filteredOn(c -> c.contains("/pools/trades"))
                .isNotEmpty().allSatisfy(c -> assertThat(c).contains("status=returned&created_after="));
    }

    @Test
    void settledThenReturnedGivesASecondDistinctMessage() throws Exception {
        String orderId = placeOrder("it-returned", "100.15");

        JsonNode first = nextSettlement(orderId);
        JsonNode second = nextSettlement(orderId);

        assertThat(first.get("status").asText()).isEqualTo("settled");
        assertThat(second.get("status").asText()).isEqualTo("returned");
        assertThat(second.get("previousStatus").asText()).isEqualTo("settled");
        assertThat(second.get("source").asText()).as("the sandbox returns downstream; the returned read sees it")
                .isEqualTo("read");
        awaitPollingEnded(orderId);
        assertThat(remaining(orderId)).isEmpty();
    }

    @Test
    void webhookAndPollOfTheSameTransitionGiveOneMessageAndReplaysAreDropped() throws Exception {
        harness.sandbox().setPartnerWebhookUrl("demo-bank", webhookUrl);
        try {
            String orderId = placeOrder("it-webhook", "100.00");
            JsonNode settled = nextSettlement(orderId);
            String transactId = settled.get("transactId").asText();
            // the sandbox's webhook arrives too: stored, processed, no second message
            await().atMost(Duration.ofSeconds(20)).until(() -> !query(db,
                    "SELECT 1 FROM webhook_event WHERE transact_id = ? AND processed_at IS NOT NULL", transactId).isEmpty());
            Map<String, Object> event = query(db, "SELECT * FROM webhook_event WHERE transact_id = ?", transactId).get(0);
            assertThat(event.get("outcome")).isIn("duplicate", "applied");

            // a replay of the same delivery (fresh signature, same eventId): 200, nothing new
            byte[] raw = ((String) event.get("raw_body")).getBytes(StandardCharsets.UTF_8);
            assertThat(SettlementTestSupport.postSigned(webhookUrl, raw, Instant.now().getEpochSecond()).statusCode())
                    .isEqualTo(200);
            awaitPollingEnded(orderId);
            assertThat(remaining(orderId)).isEmpty();
            assertThat(query(db, "SELECT * FROM settlement_event WHERE transact_id = ?", transactId)).hasSize(1);
        } finally {
            harness.sandbox().setPartnerWebhookUrl("demo-bank", null);
        }
    }

    @Test
    void forgedWebhookIsRefusedAndNothingIsStoredOrPublished() throws Exception {
        String orderId = placeOrder("it-forged", "100.00");
        await().atMost(Duration.ofSeconds(20)).until(() -> order(db, orderId).get("transact_id") != null);
        String transactId = (String) order(db, orderId).get("transact_id");
        String eventId = "f".repeat(64);
        byte[] body = ("{\"eventId\":\"" + eventId + "\",\"type\":\"pool.transaction.failed\",\"transactId\":\""
                + transactId + "\",\"status\":\"failed\"}").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String forged = com.poolsbridge.sandbox.WebhookSigner.sign("whsec_not_the_secret", now, body);

        var response = SettlementTestSupport.postWebhook(webhookUrl, "Pools-Signature", forged, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("whsec_");
        assertThat(query(db, "SELECT 1 FROM webhook_event WHERE event_id = ?", eventId)).isEmpty();
        // the trade still settles by poll; the forged 'failed' never appears
        assertThat(nextSettlement(orderId).get("status").asText()).isEqualTo("settled");
    }
}
