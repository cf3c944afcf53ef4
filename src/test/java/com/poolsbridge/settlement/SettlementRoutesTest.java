package com.poolsbridge.settlement;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.sandbox.WebhookSigner;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JsonSchemas;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.poolsbridge.settlement.SettlementTestSupport.order;
import static com.poolsbridge.settlement.SettlementTestSupport.postSigned;
import static com.poolsbridge.settlement.SettlementTestSupport.postWebhook;
import static com.poolsbridge.settlement.SettlementTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route unit tests for the settlement poller and the webhook intake: the 0Pools call is scripted (AdviceWith on
 * pools-http-call), the JMS sends are mocked, trades are planted in the embedded PostgreSQL and one poll cycle is
 * run on demand (direct:settlement-cycle; the Quartz scheduler of this instance is held back).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedPools pools = new ScriptedPools();
    private BridgeApplication app;
    private CamelContext context;
    private ProducerTemplate template;
    private MockEndpoint settlements;
    private MockEndpoint reconciliation;
    private DataSource db;
    private String webhookUrl;

    @BeforeAll
    void startRoutes() throws Exception {
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.putAll(SettlementTestSupport.fastSettlement());
        props.put("settlement.start-delay-seconds", "3600");   // cycles run only when a test sends one
        props.put("settlement.backoff-initial-ms", "1000");
        props.put("settlement.backoff-max-ms", "3000");
        props.put("settlement.returned-watch-ms", "600000");
        props.put("settlement.returned-fallback-polls", "PT5M,PT1H");
        props.put("settlement.stuck-after-ms", "3600000");
        app = new BridgeApplication(TestInfrastructure.get().settings("http://127.0.0.1:9/v1"), props);
        context = app.start();
        AdviceWith.adviceWith(context, "pools-api", a -> a.weaveById("pools-http-call").replace().process(pools));
        AdviceWith.adviceWith(context, "settlement-publish", a -> a.mockEndpointsAndSkip("jms:.*"));
        AdviceWith.adviceWith(context, "settlement-stuck-alert", a -> a.mockEndpointsAndSkip("jms:.*"));
        template = context.createProducerTemplate();
        settlements = context.getEndpoint("mock:jms:queue:pools.settlements", MockEndpoint.class);
        reconciliation = context.getEndpoint("mock:jms:queue:pools.reconciliation", MockEndpoint.class);
        db = SettlementTestSupport.dataSource(context);
        webhookUrl = BridgeHarness.webhookUrl(context);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @BeforeEach
    void reset() throws Exception {
        // a webhook is processed on a wire tap after its answer: the previous test's must not land in this one
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getInflightRepository().size() == 0);
        pools.reset();
        settlements.reset();
        reconciliation.reset();
        // trades other test classes left behind are not this test's business
        execute("UPDATE order_record SET next_poll_at = NULL, stuck_reported_at = COALESCE(stuck_reported_at, now())");
        execute("UPDATE webhook_event SET processed_at = now() WHERE processed_at IS NULL");
        execute("UPDATE settlement_event SET published_at = now() WHERE published_at IS NULL");
        execute("UPDATE order_record SET watch_until = now() WHERE trade_status = 'settled' AND watch_until > now()");
        execute("UPDATE order_record SET terminal_at = now() WHERE terminal_at IS NULL AND trade_status <> 'reserved'");
    }

    // --- poller ---

    @Test
    void legalTransitionIsAppliedAndPublishedOnce() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "settled"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "settled"));
        settlements.expectedMessageCount(1);
        settlements.expectedHeaderReceived("JMSCorrelationID", t.orderId);
        settlements.expectedHeaderReceived("_AMQ_DUPL_ID", "settlement:" + t.transactId + ":settled");

        cycle();
        makeDue(t);
        cycle();

        settlements.assertIsSatisfied();
        assertThat(pools.calls("getTransactionByQuote")).hasSize(2)
                .allSatisfy(c -> assertThat(c.path()).isEqualTo("/pools/transactions/" + t.quoteId));
        JsonNode message = JSON.readTree(settlements.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(JsonSchemas.validate("settlement.schema.json", message.toString())).isEmpty();
        assertThat(message.get("status").asText()).isEqualTo("settled");
        assertThat(message.get("previousStatus").asText()).isEqualTo("reserved");
        assertThat(message.get("source").asText()).isEqualTo("poll");
        assertThat(message.get("requestId").asText()).startsWith("req_unit_");
        Map<String, Object> row = order(db, t.orderId);
        assertThat(row.get("trade_status")).isEqualTo("settled");
        assertThat(row.get("watch_until")).isNotNull();
        assertThat(row.get("next_poll_at")).as("settled is watched for returned").isNotNull();
        long fallback = ((Timestamp) row.get("next_poll_at")).getTime() - ((Timestamp) row.get("terminal_at")).getTime();
        assertThat(fallback).as("first fallback poll, PT5M after it settled").isEqualTo(300_000);
        assertThat(query(db, "SELECT published_at FROM settlement_event WHERE transact_id = ?", t.transactId))
                .singleElement().satisfies(r -> assertThat(r.get("published_at")).isNotNull());
    }

    @Test
    void failedAndReleasedStopPolling() throws Exception {
        Trade failed = plant("reserved", Duration.ofMinutes(2));
        Trade released = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(failed.quoteId, "failed"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(released.quoteId, "released"));
        settlements.expectedMessageCount(2);

        cycle();

        settlements.assertIsSatisfied();
        assertThat(order(db, failed.orderId)).containsEntry("trade_status", "failed").containsEntry("next_poll_at", null);
        assertThat(order(db, released.orderId)).containsEntry("trade_status", "released").containsEntry("next_poll_at", null);
    }

    @Test
    void backwardTransitionIsIgnored() throws Exception {
        Trade settled = plant("settled", Duration.ofMinutes(2));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(settled.quoteId, "reserved"));   // backwards

        cycle();

        assertThat(pools.calls("getTransactionByQuote")).hasSize(1);
        assertThat(settlements.getReceivedCounter()).isZero();
        assertThat(order(db, settled.orderId).get("trade_status")).isEqualTo("settled");
        assertThat(query(db, "SELECT 1 FROM settlement_event WHERE transact_id = ?", settled.transactId)).isEmpty();
    }

    /** Issue 9 defect 6: settled and returned between two polls is both transitions, not an illegal one. */
    @Test
    void reservedToReturnedInOnePollIsSettledThenReturnedAndEndsPolling() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "returned"));
        settlements.expectedMessageCount(2);

        cycle();

        settlements.assertIsSatisfied();
        assertThat(settlements.getExchanges()).extracting(e -> e.getMessage().getHeader("_AMQ_DUPL_ID"))
                .containsExactly("settlement:" + t.transactId + ":settled", "settlement:" + t.transactId + ":returned");
        List<JsonNode> messages = new java.util.ArrayList<>();
        for (var e : settlements.getExchanges()) {
            JsonNode m = JSON.readTree(e.getMessage().getBody(String.class));
            assertThat(JsonSchemas.validate("settlement.schema.json", m.toString())).isEmpty();
            messages.add(m);
        }
        assertThat(messages).extracting(m -> m.get("previousStatus").asText()).containsExactly("reserved", "settled");
        assertThat(order(db, t.orderId)).containsEntry("trade_status", "returned").containsEntry("next_poll_at", null);
        assertThat(dueIds()).doesNotContain(t.orderId);
    }

    /** Issue 9 defect 6: the trade transact (or the lookup) answered is already terminal; no poll is needed. */
    @Test
    void tradeAlreadyTerminalWhenRecordedGetsItsSettlementWithoutAPoll() throws Exception {
        Trade failed = plantRecorded("failed");
        Trade settled = plantRecorded("settled");
        settlements.expectedMessageCount(2);

        cycle();
        cycle();

        settlements.assertIsSatisfied();
        assertThat(pools.calls("getTransactionByQuote")).isEmpty();
        assertThat(settlements.getExchanges()).extracting(e -> e.getMessage().getHeader("_AMQ_DUPL_ID"))
                .containsExactlyInAnyOrder("settlement:" + failed.transactId + ":failed",
                        "settlement:" + settled.transactId + ":settled");
        for (var e : settlements.getExchanges()) {
            JsonNode m = JSON.readTree(e.getMessage().getBody(String.class));
            assertThat(JsonSchemas.validate("settlement.schema.json", m.toString())).isEmpty();
            assertThat(m.get("previousStatus").asText()).isEqualTo("reserved");
            assertThat(m.get("source").asText()).isEqualTo("transact");
        }
        assertThat(order(db, failed.orderId).get("next_poll_at")).isNull();
        assertThat(order(db, settled.orderId).get("watch_until")).as("settled is watched for returned").isNotNull();
    }

    @Test
    void lateReturnedIsASecondDistinctSettlement() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "settled"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "returned"));
        settlements.expectedMessageCount(2);

        cycle();
        makeDue(t);
        cycle();

        settlements.assertIsSatisfied();
        assertThat(settlements.getExchanges()).extracting(e -> e.getMessage().getHeader("_AMQ_DUPL_ID"))
                .containsExactly("settlement:" + t.transactId + ":settled", "settlement:" + t.transactId + ":returned");
        assertThat(order(db, t.orderId).get("next_poll_at")).as("returned is final").isNull();
    }

    @Test
    void fallbackPollsFollowTheScheduleInsideTheWatchWindowOnly() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "settled"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "settled"));
        cycle();
        execute("""
                UPDATE order_record SET terminal_at = terminal_at - interval '301 seconds',
                    watch_until = watch_until - interval '301 seconds', next_poll_at = now() - interval '1 second'
                WHERE order_id = ?""", t.orderId);   // 5 minutes later: the PT5M poll is due

        cycle();

        assertThat(pools.calls("getTransactionByQuote")).hasSize(2);
        assertThat(order(db, t.orderId).get("next_poll_at")).as("PT1H lies past the 10 min watch window").isNull();
        assertThat(settlements.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void returnedReadSettlesEveryWatchedTradeWithOneCall() throws Exception {
        Trade first = plant("reserved", Duration.ofMinutes(2));
        Trade second = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(first.quoteId, "settled"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(second.quoteId, "settled"));
        cycle();
        pools.reset();
        pools.then("listTrades", 200, "{\"data\":[" + ScriptedPools.trade(second.quoteId, "returned") + ","
                + ScriptedPools.trade(first.quoteId, "returned") + "],\"nextCursor\":null,\"hasMore\":false}");
        settlements.reset();
        settlements.expectedMessageCount(2);

        template.sendBody("direct:settlement-returned-read", null);
        template.sendBody("direct:settlement-returned-read", null);   // nothing watched any more: no call

        settlements.assertIsSatisfied();
        assertThat(pools.calls("getTransactionByQuote")).isEmpty();
        assertThat(pools.calls("listTrades")).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("/pools/trades");
            assertThat(c.query()).startsWith("status=returned&created_after=").endsWith("&limit=100");
        });
        for (var e : settlements.getExchanges()) {
            JsonNode m = JSON.readTree(e.getMessage().getBody(String.class));
            assertThat(JsonSchemas.validate("settlement.schema.json", m.toString())).isEmpty();
            assertThat(m.get("status").asText()).isEqualTo("returned");
            assertThat(m.get("previousStatus").asText()).isEqualTo("settled");
            assertThat(m.get("source").asText()).isEqualTo("read");
        }
        assertThat(order(db, first.orderId)).containsEntry("trade_status", "returned").containsEntry("next_poll_at", null);
        assertThat(order(db, second.orderId)).containsEntry("trade_status", "returned");
        // kept as listed for the reconciliation walk, which makes no returned read of its own
        assertThat(query(db, "SELECT transact_id FROM returned_trade WHERE transact_id IN (?, ?)",
                "txn_" + first.quoteId, "txn_" + second.quoteId)).hasSize(2);
    }

    @Test
    void returnedReadCostsNothingWhenNoTradeIsWatched() {
        template.sendBody("direct:settlement-returned-read", null);

        assertThat(pools.calls()).isEmpty();
    }

    @Test
    void terminalWebhookMakesTheNextPollUnnecessary() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));   // due for a poll now
        settlements.expectedMessageCount(1);

        assertThat(postSigned(webhookUrl, webhookBody(t, "settled"), Instant.now().getEpochSecond()).statusCode())
                .isEqualTo(200);
        settlements.assertIsSatisfied();
        cycle();

        assertThat(pools.calls("getTransactionByQuote")).isEmpty();
        assertThat(dueIds()).doesNotContain(t.orderId);
    }

    @Test
    void reservedTradeIsRescheduledWithGrowingCappedBackoff() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "reserved"));
        }
        long[] expected = {1000, 2000, 3000};   // 1 s × 2^polls, capped at 3 s (poll 0 was the planted one)
        execute("UPDATE order_record SET poll_count = 0 WHERE order_id = ?", t.orderId);
        for (long delay : expected) {
            cycle();
            Map<String, Object> row = order(db, t.orderId);
            long gap = ((Timestamp) row.get("next_poll_at")).getTime() - ((Timestamp) row.get("last_polled_at")).getTime();
            assertThat(gap).isBetween(delay - 50, delay + 50);
            makeDue(t);
        }
        assertThat(order(db, t.orderId).get("poll_count")).isEqualTo(3);
    }

    @Test
    void remainingShortAtZeroEndsTheCycleAndTheRestStaysDue() throws Exception {
        Trade first = plant("reserved", Duration.ofMinutes(2));
        Trade second = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(first.quoteId, "reserved"),
                Map.of("X-RateLimit-Remaining-short", "0"));

        cycle();

        assertThat(pools.calls("getTransactionByQuote")).hasSize(1);
        assertThat(order(db, second.orderId).get("poll_count")).isEqualTo(1);
        assertThat(dueIds()).contains(second.orderId);
    }

    @Test
    void rateLimitedPollEndsTheCycleWithoutBackingTheTradeOff() throws Exception {
        Trade first = plant("reserved", Duration.ofMinutes(2));
        Trade second = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 429, ScriptedPools.error(429, "rate_limited", "rate_limited"),
                Map.of("Retry-After-short", "7", "X-RateLimit-Remaining-short", "0"));

        cycle();

        assertThat(pools.calls("getTransactionByQuote")).hasSize(1);
        assertThat(dueIds()).contains(first.orderId, second.orderId);
        assertThat(order(db, first.orderId).get("poll_count")).isEqualTo(1);
    }

    @Test
    void serverErrorBacksOffThatTradeAndTheCycleGoesOn() throws Exception {
        Trade first = plant("reserved", Duration.ofMinutes(2));
        Trade second = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 503, ScriptedPools.error(503, "server_error", "server_error"));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(second.quoteId, "settled"));
        settlements.expectedMessageCount(1);

        cycle();

        settlements.assertIsSatisfied();
        assertThat(order(db, first.orderId).get("last_poll_error").toString()).contains("503");
        assertThat(dueIds()).doesNotContain(first.orderId);
    }

    @Test
    void tradeReservedTooLongIsReportedOnce() throws Exception {
        Trade t = plant("reserved", Duration.ofHours(2));
        execute("UPDATE order_record SET next_poll_at = NULL WHERE order_id = ?", t.orderId);
        double before = context.getRegistry().lookupByNameAndType("settlements", SettlementPoller.class)
                .stuckCounter().count();
        reconciliation.expectedMessageCount(1);
        reconciliation.expectedHeaderReceived("_AMQ_DUPL_ID", "stuck_reserved:" + t.transactId);

        cycle();
        cycle();

        reconciliation.assertIsSatisfied();
        JsonNode alert = JSON.readTree(reconciliation.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(alert.get("kind").asText()).isEqualTo("stuck_reserved");
        assertThat(com.poolsbridge.support.JsonSchemas.validate("reconciliation.schema.json", alert.toString())).isEmpty();
        assertThat(alert.get("orderId").asText()).isEqualTo(t.orderId);
        assertThat(context.getRegistry().lookupByNameAndType("settlements", SettlementPoller.class)
                .stuckCounter().count()).isEqualTo(before + 1);
    }

    @Test
    void unpublishedSettlementIsResentByTheSweep() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(t.quoteId, "failed"));
        cycle();
        // as if the process died between the commit and the send
        execute("UPDATE settlement_event SET published_at = NULL, recorded_at = now() - interval '1 minute' WHERE transact_id = ?",
                t.transactId);
        settlements.reset();
        settlements.expectedMessageCount(1);
        settlements.expectedHeaderReceived("_AMQ_DUPL_ID", "settlement:" + t.transactId + ":failed");

        cycle();

        settlements.assertIsSatisfied();
    }

    /** Done when {@code count} events handed over by the intake's wire tap have been through webhook-process. */
    private NotifyBuilder webhookProcessed(int count) {
        return new NotifyBuilder(context).wereSentTo("direct:webhook-process").whenDone(count).create();
    }

    // --- webhooks ---

    @Test
    void signedWebhookIsStoredAnsweredAndSettles() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        byte[] body = webhookBody(t, "released");
        settlements.expectedMessageCount(1);
        NotifyBuilder processed = webhookProcessed(1);

        var response = postSigned(webhookUrl, body, Instant.now().getEpochSecond());

        assertThat(response.statusCode()).isEqualTo(200);
        settlements.assertIsSatisfied();
        JsonNode message = JSON.readTree(settlements.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(message.get("source").asText()).isEqualTo("webhook");
        assertThat(message.get("eventId").asText()).isEqualTo(eventId(t, "released"));
        assertThat(JsonSchemas.validate("settlement.schema.json", message.toString())).isEmpty();
        assertThat(pools.calls()).isEmpty();
        assertThat(processed.matches(5, TimeUnit.SECONDS)).as("webhook-process completed").isTrue();
        assertThat(query(db, "SELECT outcome FROM webhook_event WHERE event_id = ?", eventId(t, "released")).get(0)
                .get("outcome")).isEqualTo("applied");
    }

    @Test
    void replayedEventIdGivesOneMessage() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        byte[] body = webhookBody(t, "settled");
        settlements.expectedMessageCount(1);
        NotifyBuilder processed = webhookProcessed(1);   // the replay is stored once, so processed once

        assertThat(postSigned(webhookUrl, body, Instant.now().getEpochSecond()).statusCode()).isEqualTo(200);
        assertThat(postSigned(webhookUrl, body, Instant.now().getEpochSecond()).statusCode()).isEqualTo(200);
        settlements.assertIsSatisfied();
        assertThat(processed.matches(5, TimeUnit.SECONDS)).as("webhook-process completed").isTrue();
        assertThat(query(db, "SELECT 1 FROM webhook_event WHERE event_id = ? AND processed_at IS NOT NULL",
                eventId(t, "settled"))).hasSize(1);
        cycle();   // the sweep finds nothing left to do

        assertThat(settlements.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void injectedCamelHeadersHaveNoEffect() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        byte[] body = webhookBody(t, "settled");
        long now = Instant.now().getEpochSecond();
        settlements.expectedMessageCount(1);

        var response = postWebhook(webhookUrl, "Pools-Signature",
                WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET, now, body), body,
                Map.of("CamelJmsDestinationName", "pools.evil", "camelhttpresponsecode", "302", "X-Echo", "leak"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Echo"));
        settlements.assertIsSatisfied();
        assertThat(settlements.getExchanges().get(0).getMessage().getHeaders().keySet())
                .noneMatch(h -> h.equalsIgnoreCase("CamelJmsDestinationName") || h.equalsIgnoreCase("X-Echo"));
    }

    @Test
    void gateSignatureHeaderIsAccepted() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        byte[] body = webhookBody(t, "failed");
        long now = Instant.now().getEpochSecond();
        NotifyBuilder processed = webhookProcessed(1);
        var response = postWebhook(webhookUrl, "Gate-Signature",
                WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET, now, body), body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(processed.matches(5, TimeUnit.SECONDS)).as("webhook-process completed").isTrue();
        assertThat(query(db, "SELECT outcome FROM webhook_event WHERE event_id = ?", eventId(t, "failed")).get(0)
                .get("outcome")).isEqualTo("applied");
    }

    @Test
    void forgedMissingAndStaleSignaturesAreRefusedAndNothingIsStored() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        byte[] body = webhookBody(t, "settled");
        long now = Instant.now().getEpochSecond();
        String good = WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET, now, body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("100.00", "900.00").getBytes(StandardCharsets.UTF_8);

        assertThat(postWebhook(webhookUrl, "Pools-Signature", WebhookSigner.sign("whsec_forged", now, body), body)
                .statusCode()).isEqualTo(400);
        assertThat(postWebhook(webhookUrl, "Pools-Signature", good, tampered).statusCode()).isEqualTo(400);
        assertThat(postWebhook(webhookUrl, "Pools-Signature", null, body).statusCode()).isEqualTo(400);
        assertThat(postWebhook(webhookUrl, "Pools-Signature", "t=" + now + ",v1=zz", body).statusCode()).isEqualTo(400);
        // the clock is read again for the boundary cases: a second spent above on a busy machine must not
        // move "in the future" back inside the 300 s window; time that passes while the request is on its way
        // only ages a stale signature further, but brings one from the future closer, so that one keeps a margin
        assertThat(postSigned(webhookUrl, body, Instant.now().getEpochSecond() - 301).statusCode()).as("too old").isEqualTo(400);
        assertThat(postSigned(webhookUrl, body, Instant.now().getEpochSecond() + 310).statusCode()).as("from the future").isEqualTo(400);
        var refused = postWebhook(webhookUrl, "Pools-Signature", WebhookSigner.sign("whsec_forged", now, body), body);
        assertThat(refused.body()).doesNotContain(TestInfrastructure.WEBHOOK_SECRET);
        assertThat(refused.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Pools-Signature"));

        cycle();
        assertThat(query(db, "SELECT 1 FROM webhook_event WHERE event_id = ?", eventId(t, "settled"))).isEmpty();
        assertThat(settlements.getReceivedCounter()).isZero();
    }

    @Test
    void webhookForAnUnknownTradeIsStoredWithoutMessage() throws Exception {
        Trade ghost = new Trade("none", "pq_ghost_" + System.nanoTime(), "txn_ghost_" + System.nanoTime());
        byte[] body = webhookBody(ghost, "settled");
        NotifyBuilder processed = webhookProcessed(1);

        assertThat(postSigned(webhookUrl, body, Instant.now().getEpochSecond()).statusCode()).isEqualTo(200);

        assertThat(processed.matches(5, TimeUnit.SECONDS)).as("webhook-process completed").isTrue();
        assertThat(query(db, "SELECT outcome FROM webhook_event WHERE event_id = ?", eventId(ghost, "settled")).get(0)
                .get("outcome")).isEqualTo("unknown_trade");
        assertThat(settlements.getReceivedCounter()).isZero();
    }

    @Test
    void storedButUnprocessedWebhookIsPickedUpByTheCycle() throws Exception {
        Trade t = plant("reserved", Duration.ofMinutes(1));
        String id = eventId(t, "failed");
        execute("""
                INSERT INTO webhook_event (event_id, type, transact_id, signature_timestamp, received_at, raw_body)
                VALUES (?, 'pool.transaction.failed', ?, 0, now() - interval '1 minute', ?)""",
                id, t.transactId, new String(webhookBody(t, "failed"), StandardCharsets.UTF_8));
        settlements.expectedMessageCount(1);

        cycle();

        settlements.assertIsSatisfied();
        assertThat(order(db, t.orderId).get("trade_status")).isEqualTo("failed");
    }

    // --- helpers ---

    private record Trade(String orderId, String quoteId, String transactId) {
    }

    /**
     * A reserved order whose trade is due for a poll now; reservedAgo sets its age (and due order). A trade planted
     * settled is one whose settlement was already written (terminal_at set), watched for another hour.
     */
    private Trade plant(String tradeStatus, Duration reservedAgo) throws Exception {
        String orderId = Orders.newId("unit-settle");
        String quoteId = "pq_" + orderId;
        Trade t = new Trade(orderId, quoteId, "txn_" + quoteId);
        execute("""
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state,
                    quote_id, transact_id, trade_status, reserved_at, next_poll_at, poll_count, watch_until, terminal_at)
                VALUES (?, ?, 'EUR-USDT', 'on_ramp', 100, 'tron', 'RESERVED', ?, ?, ?, now() - ? * interval '1 millisecond',
                    now() - ? * interval '1 millisecond', 1, CASE WHEN ? = 'settled' THEN now() + interval '1 hour' END,
                    CASE WHEN ? <> 'reserved' THEN now() END)""",
                orderId, "0".repeat(64), quoteId, t.transactId, tradeStatus, reservedAgo.toMillis(), reservedAgo.toMillis(),
                tradeStatus, tradeStatus);
        return t;
    }

    /** An order as OrderRecords.recordReserved leaves it when the trade it got back was already terminal. */
    private Trade plantRecorded(String tradeStatus) throws Exception {
        String orderId = Orders.newId("unit-settle");
        String quoteId = "pq_" + orderId;
        Trade t = new Trade(orderId, quoteId, "txn_" + quoteId);
        execute("""
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state,
                    quote_id, transact_id, trade_status, trade_json, reserved_at, next_poll_at)
                VALUES (?, ?, 'EUR-USDT', 'on_ramp', 100, 'tron', 'RESERVED', ?, ?, ?, ?, now(), now())""",
                orderId, "0".repeat(64), quoteId, t.transactId, tradeStatus, ScriptedPools.trade(quoteId, tradeStatus));
        return t;
    }

    private void makeDue(Trade t) throws Exception {
        execute("UPDATE order_record SET next_poll_at = now() - interval '1 second' WHERE order_id = ?", t.orderId);
    }

    private List<String> dueIds() {
        return context.getRegistry().lookupByNameAndType("settlements", SettlementPoller.class).dueTrades().stream()
                .map(DueTrade::orderId).toList();
    }

    private void cycle() {
        template.sendBody("direct:settlement-cycle", null);
    }

    private static String eventId(Trade t, String status) {
        return sha256(t.transactId + ":pool.transaction." + status);
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] webhookBody(Trade t, String status) throws Exception {
        JsonNode trade = JSON.readTree(ScriptedPools.trade(t.quoteId, status));
        var event = JSON.createObjectNode();
        event.put("eventId", eventId(t, status));
        event.put("type", "pool.transaction." + status);
        trade.fields().forEachRemaining(f -> event.set(f.getKey(), f.getValue()));
        event.put("transactId", t.transactId);
        event.put("occurredAt", "2026-06-01T10:00:31Z");
        return JSON.writeValueAsBytes(event);
    }

    private void execute(String sql, Object... args) throws Exception {
        try (var c = db.getConnection(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
