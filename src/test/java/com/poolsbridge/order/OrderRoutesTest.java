package com.poolsbridge.order;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.support.JsonSchemas;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Route unit tests for order intake and execution: the 0Pools HTTP call and the JMS endpoints are mocked
 * (AdviceWith), the order records live in the embedded PostgreSQL. One test per branch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedPools pools = new ScriptedPools();
    private BridgeApplication app;
    private CamelContext context;
    private ProducerTemplate template;
    private MockEndpoint results;
    private MockEndpoint deadLetters;
    private OrderRecords records;

    @BeforeAll
    void startRoutes() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> props = TestInfrastructure.fastRetries();
        // the circuit breaker would pause direct:orders between tests; OrderResilienceIntegrationTest covers it
        props.put("orders.circuit.failure-threshold", "1000000");
        app = new BridgeApplication(infra.settings("http://127.0.0.1:9/v1"), props);
        context = app.start();
        AdviceWith.adviceWith(context, "pools-api", a -> a.weaveById("pools-http-call").replace().process(pools));
        AdviceWith.adviceWith(context, "order-intake", a -> a.replaceFromWith("direct:orders"));
        AdviceWith.adviceWith(context, "order-reply", a -> a.mockEndpointsAndSkip("jms:.*"));
        AdviceWith.adviceWith(context, "order-dead-letter", a -> a.mockEndpointsAndSkip("jms:.*"));
        template = context.createProducerTemplate();
        results = context.getEndpoint("mock:jms:queue:pools.orders.results", MockEndpoint.class);
        deadLetters = context.getEndpoint("mock:jms:queue:pools.orders.dlq", MockEndpoint.class);
        records = context.getRegistry().lookupByNameAndType("orderRecords", OrderRecords.class);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @BeforeEach
    void reset() {
        pools.reset();
        results.reset();
        deadLetters.reset();
    }

    @Test
    void acceptedOrderIsQuotedTransactedOnceAndReplied() throws Exception {
        String orderId = Orders.newId("unit-ok");
        results.expectedMessageCount(1);
        results.expectedHeaderReceived("JMSCorrelationID", orderId);
        results.expectedHeaderReceived("_AMQ_DUPL_ID", "order-result:" + orderId);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        JsonNode reply = replyBody(0);
        assertThat(reply.get("outcome").asText()).isEqualTo("accepted");
        assertThat(reply.at("/trade/status").asText()).isEqualTo("reserved");
        assertThat(JsonSchemas.validate("order-result.schema.json", reply.toString())).isEmpty();
        String quoteId = reply.get("quoteId").asText();
        assertThat(reply.get("idempotencyKey").asText()).isEqualTo("pool-tx:" + orderId + ":" + quoteId);
        // capabilities come from the cache once loaded; quote and transact happen exactly once
        assertThat(pools.calls()).extracting(ScriptedPools.Call::operation)
                .endsWith("createQuote", "transact").doesNotHaveDuplicates();
        ScriptedPools.Call transact = pools.calls("transact").get(0);
        assertThat(transact.idempotencyKey()).isEqualTo("pool-tx:" + orderId + ":" + quoteId);
        assertThat(transact.body()).isEqualTo("{\"quoteId\":\"" + quoteId + "\"}");
        assertThat(pools.calls("createQuote").get(0).body())
                .isEqualTo("{\"side\":\"on_ramp\",\"amount\":\"100\",\"type\":\"firm\",\"cryptoNetwork\":\"tron\",\"destAddress\":\"" + Orders.TRON_WALLET + "\"}");
        OrderRecord record = records.get(orderId);
        assertThat(record.state()).isEqualTo(OrderState.RESERVED);
        assertThat(record.transactId()).isEqualTo("txn_" + quoteId);
    }

    @Test
    void sameOrderTwiceMakesOneTradeAndOneReply() throws Exception {
        String orderId = Orders.newId("unit-dup");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order);
        template.sendBody("direct:orders", order);

        results.assertIsSatisfied();
        assertThat(pools.calls("transact")).hasSize(1);
        assertThat(pools.calls("createQuote")).hasSize(1);
        assertThat(records.get(orderId).replySent()).isTrue();
    }

    @Test
    void answeredOrderWhoseReplyWasNeverSentGetsTheStoredReplyWithoutPartnerCalls() throws Exception {
        String orderId = Orders.newId("unit-unsent");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        results.expectedMessageCount(1);
        template.sendBody("direct:orders", order);
        results.assertIsSatisfied();
        String firstReply = results.getExchanges().get(0).getMessage().getBody(String.class);
        // the delivery that answered died after recording the outcome, before its reply reached the broker
        var dataSource = context.getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "UPDATE order_record SET reply_sent_at = NULL WHERE order_id = ?")) {
            ps.setString(1, orderId);
            ps.executeUpdate();
        }
        pools.reset();
        results.reset();
        results.expectedBodiesReceived(firstReply);
        results.expectedHeaderReceived("_AMQ_DUPL_ID", "order-result:" + orderId);

        template.sendBody("direct:orders", order);

        results.assertIsSatisfied();
        assertThat(pools.calls()).isEmpty();
        assertThat(records.get(orderId).replySent()).isTrue();
    }

    @Test
    void malformedJsonIsDeadLetteredWithOriginalBytesAndNoPartnerCall() throws Exception {
        String garbage = "{\"orderId\": \"broken\", ";
        deadLetters.expectedBodiesReceived(garbage);
        deadLetters.expectedHeaderReceived("PoolsDeadLetterCode", "invalid_json");
        deadLetters.expectedHeaderReceived("PoolsDeadLetterRoute", "order-intake");

        template.sendBody("direct:orders", garbage);

        deadLetters.assertIsSatisfied();
        assertThat(pools.calls()).isEmpty();
        assertThat(results.getReceivedCounter()).isZero();
    }

    @Test
    void schemaInvalidOrderIsDeadLetteredWithTheViolationAndAnsweredOnce() throws Exception {
        String order = "{\"orderId\":\"unit-bad-1\",\"poolId\":\"EUR-USDT\",\"side\":\"buy\",\"amount\":100,\"cryptoNetwork\":\"tron\",\"destAddress\":\"x\"}";
        deadLetters.expectedBodiesReceived(order, order);
        deadLetters.expectedHeaderReceived("PoolsDeadLetterCode", "schema_violation");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order);
        template.sendBody("direct:orders", order); // a copy of the same bytes: dead-lettered, not answered again

        deadLetters.assertIsSatisfied();
        results.assertIsSatisfied();
        assertThat(deadLetters.getExchanges().get(0).getMessage().getHeader("PoolsDeadLetterReason", String.class))
                .contains("side").contains("amount");
        assertThat(pools.calls()).isEmpty();
        // was: no record at all; the orderId is now held by the invalid message, so it is answered exactly once
        // and can never later move money under other terms
        JsonNode reply = replyBody(0);
        assertThat(reply.get("outcome").asText()).isEqualTo("rejected");
        assertThat(reply.at("/rejection/code").asText()).isEqualTo("invalid_order");
        assertThat(reply.at("/rejection/message").asText()).contains("side");
        assertThat(JsonSchemas.validate("order-result.schema.json", reply.toString())).isEmpty();
        assertThat(records.get("unit-bad-1").state()).isEqualTo(OrderState.INVALID);
    }

    @Test
    void aValidOrderUnderTheIdOfAnInvalidOneIsRefusedAndNotAnsweredAgain() throws Exception {
        String orderId = Orders.newId("unit-bad-then-good");
        String bad = "{\"orderId\":\"" + orderId + "\",\"poolId\":\"EUR-USDT\",\"side\":\"sell\"}";
        results.expectedMessageCount(1);
        deadLetters.expectedMessageCount(2);

        template.sendBody("direct:orders", bad);
        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        deadLetters.assertIsSatisfied();
        assertThat(deadLetters.getExchanges().get(1).getMessage().getHeader("PoolsDeadLetterCode")).isEqualTo("order_id_reused");
        assertThat(pools.calls()).isEmpty();
    }

    @Test
    void orderPastItsOwnDeadlineIsRejectedOrderExpiredWithoutAPartnerCall() throws Exception {
        String orderId = Orders.newId("unit-late");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00")
                .replaceFirst("\\}\\s*$", ",\"expiresAt\":\"" + Instant.now().minusSeconds(5) + "\"}");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order);

        results.assertIsSatisfied();
        JsonNode reply = replyBody(0);
        assertThat(reply.get("outcome").asText()).isEqualTo("rejected");
        assertThat(reply.at("/rejection/code").asText()).isEqualTo("order_expired");
        assertThat(pools.calls()).isEmpty();
    }

    @Test
    void orderOlderThanTheMaximumAgeIsRejectedOrderExpired() throws Exception {
        String orderId = Orders.newId("unit-old");
        results.expectedMessageCount(1);

        // sent by core banking an hour ago (its JMS timestamp), beyond orders.max-age-ms
        template.sendBodyAndHeader("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"), "JMSTimestamp",
                Instant.now().minusSeconds(3600).toEpochMilli());

        results.assertIsSatisfied();
        assertThat(replyBody(0).at("/rejection/code").asText()).isEqualTo("order_expired");
        assertThat(pools.calls()).isEmpty();
    }

    @Test
    void orderIdReusedForOtherTermsIsDeadLettered() throws Exception {
        String orderId = Orders.newId("unit-reuse");
        results.expectedMessageCount(1);
        deadLetters.expectedHeaderReceived("PoolsDeadLetterCode", "order_id_reused");

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));
        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "999.00"));

        results.assertIsSatisfied();
        deadLetters.assertIsSatisfied();
        assertThat(pools.calls("transact")).hasSize(1);
    }

    @Test
    void partnerDenialRejectsWithItsEnvelopeAndNeverTransacts() throws Exception {
        String orderId = Orders.newId("unit-kyc");
        pools.then("createQuote", 403, ScriptedPools.error(403, "forbidden", "kyc_not_approved"));
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        JsonNode reply = replyBody(0);
        assertThat(reply.get("outcome").asText()).isEqualTo("rejected");
        assertThat(reply.at("/rejection/source").asText()).isEqualTo("pools");
        assertThat(reply.at("/rejection/status").asInt()).isEqualTo(403);
        assertThat(reply.at("/rejection/code").asText()).isEqualTo("kyc_not_approved");
        assertThat(reply.at("/rejection/requestId").asText()).isEqualTo("req_scripted");
        assertThat(JsonSchemas.validate("order-result.schema.json", reply.toString())).isEmpty();
        assertThat(pools.calls("transact")).isEmpty();
        assertThat(records.get(orderId).state()).isEqualTo(OrderState.REJECTED);
    }

    @Test
    void insufficientBalanceAtTransactIsRejectedWithoutRetry() throws Exception {
        String orderId = Orders.newId("unit-402");
        pools.then("transact", 402, ScriptedPools.error(402, "invalid_request", "insufficient_balance"));
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        assertThat(replyBody(0).at("/rejection/code").asText()).isEqualTo("insufficient_balance");
        assertThat(pools.calls("transact")).hasSize(1);
    }

    @Test
    void unavailableQuoteIsRejectedWithItsReason() throws Exception {
        String orderId = Orders.newId("unit-dry");
        pools.then("createQuote", 200, "{\"available\":false,\"type\":\"firm\",\"executable\":false,\"quoteId\":null,"
                + "\"unavailableReason\":\"pool_dry\",\"rate\":null,\"expiresAt\":null}");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        assertThat(replyBody(0).at("/rejection/code").asText()).isEqualTo("pool_dry");
        assertThat(pools.calls("transact")).isEmpty();
    }

    @Test
    void sideThePoolDoesNotOfferIsRejectedLocallyBeforeAnyQuote() throws Exception {
        String orderId = Orders.newId("unit-side");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.order(orderId, "EUR-USDT", "off_ramp", "50", "tron"));

        results.assertIsSatisfied();
        JsonNode reply = replyBody(0);
        assertThat(reply.at("/rejection/source").asText()).isEqualTo("bridge");
        assertThat(reply.at("/rejection/code").asText()).isEqualTo("side_not_supported");
        assertThat(pools.calls("createQuote")).isEmpty();
    }

    @Test
    void transientTransactFailuresAreRetriedWithIdenticalRequests() throws Exception {
        String orderId = Orders.newId("unit-500");
        for (int i = 0; i < 3; i++) {
            pools.then("transact", 500, ScriptedPools.error(500, "server_error", "server_error"));
        }
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        assertThat(replyBody(0).get("outcome").asText()).isEqualTo("accepted");
        List<ScriptedPools.Call> transacts = pools.calls("transact");
        assertThat(transacts).hasSize(4);
        assertThat(transacts).allSatisfy(call -> {
            assertThat(call.body()).isEqualTo(transacts.get(0).body());
            assertThat(call.idempotencyKey()).isEqualTo(transacts.get(0).idempotencyKey());
        });
    }

    @Test
    void exhaustedRetriesRollTheOrderBackToTheBrokerResumableAndUnanswered() throws Exception {
        // was: dead-lettered with no reply after the in-process retries (issue 9: an outage must not strand
        // orders on the DLQ); now the message goes back to the broker and waits, the record resumable
        String orderId = Orders.newId("unit-down");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        for (int i = 0; i < 5; i++) {
            pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        }

        assertThatThrownBy(() -> template.sendBody("direct:orders", order))
                .hasRootCauseInstanceOf(com.poolsbridge.pools.PoolsApiException.ServerError.class);

        assertThat(deadLetters.getReceivedCounter()).isZero();
        assertThat(results.getReceivedCounter()).isZero();
        OrderRecord waiting = records.get(orderId);
        assertThat(waiting.state()).isEqualTo(OrderState.TRANSACTING);
        assertThat(waiting.idempotencyKey()).isNotNull();
        assertThat(pools.calls("transact")).hasSize(5);

        // the broker redelivers: the held quote is looked up, then transacted with the same key
        results.expectedMessageCount(1);
        template.sendBody("direct:orders", order);
        results.assertIsSatisfied();
        assertThat(pools.calls("getTransactionByQuote")).hasSize(1);
        assertThat(pools.calls("transact")).hasSize(6);
        assertThat(pools.calls("transact").get(5).idempotencyKey()).isEqualTo(waiting.idempotencyKey());
    }

    @Test
    void onTheBrokersLastDeliveryAFailureIsDeadLetteredWithItsReasonAndKeptResumable() throws Exception {
        String orderId = Orders.newId("unit-last");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        for (int i = 0; i < 5; i++) {
            pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        }
        deadLetters.expectedBodiesReceived(order);
        deadLetters.expectedHeaderReceived("PoolsDeadLetterCode", "server_error");
        deadLetters.expectedHeaderReceived("PoolsOrderId", orderId);
        deadLetters.expectedHeaderReceived("PoolsDeliveryCount", "10");

        template.sendBodyAndHeader("direct:orders", order, "JMSXDeliveryCount", 10);

        deadLetters.assertIsSatisfied();
        assertThat(results.getReceivedCounter()).isZero();
        OrderRecord failed = records.get(orderId);
        assertThat(failed.state()).isEqualTo(OrderState.FAILED);
        assertThat(failed.idempotencyKey()).isNotNull();
    }

    @Test
    void rateLimitedQuoteWaitsRetryAfterShortBeforeTheNextCall() throws Exception {
        String orderId = Orders.newId("unit-429");
        pools.then("createQuote", 429, ScriptedPools.error(429, "rate_limited", "rate_limited"),
                Map.of("Retry-After-short", "1"));
        results.expectedMessageCount(1);
        long start = System.nanoTime();

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        assertThat(pools.calls("createQuote")).hasSize(2);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(replyBody(0).get("outcome").asText()).isEqualTo("accepted");
    }

    @Test
    void conflictRollsBackAndTheRedeliveryFindsTheTradeByQuote() throws Exception {
        String orderId = Orders.newId("unit-409");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        pools.then("transact", 409, ScriptedPools.error(409, "conflict", "operation_in_progress"));

        assertThatThrownBy(() -> template.sendBody("direct:orders", order))
                .isInstanceOf(CamelExecutionException.class);
        String quoteId = records.get(orderId).quoteId();
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(quoteId, "reserved"));
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order); // what the broker's redelivery does

        results.assertIsSatisfied();
        assertThat(replyBody(0).get("transactId").asText()).isEqualTo("txn_" + quoteId);
        assertThat(pools.calls("transact")).hasSize(1);
        assertThat(pools.calls("createQuote")).hasSize(1);
    }

    @Test
    void expiredQuoteWithoutTradeIsRequotedWithANewKey() throws Exception {
        String orderId = Orders.newId("unit-exp");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        pools.then("createQuote", 200, ScriptedPools.firmQuote("pq_test_expired_" + orderId, Instant.now().minusSeconds(1)));

        assertThatThrownBy(() -> template.sendBody("direct:orders", order)).isInstanceOf(CamelExecutionException.class);
        assertThat(pools.calls("transact")).isEmpty(); // never transacts an expired quote
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order);

        results.assertIsSatisfied();
        JsonNode reply = replyBody(0);
        assertThat(reply.get("quoteId").asText()).isNotEqualTo("pq_test_expired_" + orderId);
        assertThat(pools.calls("getTransactionByQuote")).hasSize(1);
        assertThat(pools.calls("transact")).hasSize(1);
        assertThat(records.get(orderId).quoteAttempt()).isEqualTo(2);
    }

    @Test
    void orderLeasedByAnotherDeliveryIsRolledBackNotSkipped() {
        String orderId = Orders.newId("unit-lease");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        assertThat(records.claim(new OrderValidator().parse(order.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                null, "crashed-consumer", 60_000).claim()).isEqualTo(OrderRecords.Claim.CLAIMED);

        assertThatThrownBy(() -> template.sendBody("direct:orders", order))
                .hasRootCauseInstanceOf(OrderBusyException.class);
        assertThat(pools.calls()).isEmpty();
        assertThat(records.get(orderId).state()).isEqualTo(OrderState.RECEIVED);
    }

    @Test
    void deliveryThatLostItsLeaseStopsBeforeTheNextPartnerCall() throws Exception {
        String orderId = Orders.newId("unit-stolen");
        // while this delivery waits for its quote, another delivery takes the (expired) lease over; the quote's
        // record, which would count the transact, finds the lease gone
        pools.then("createQuote", 200, ScriptedPools.firmQuote("pq_test_stolen_" + orderId, Instant.now().plusSeconds(15)));
        AdviceWith.adviceWith(context, "order-quote", a -> a.weaveByToUri("direct:order-pools-call").after()
                .process(e -> {
                    var dataSource = context.getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
                    try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                            "UPDATE order_record SET lease_owner = 'other-delivery' WHERE order_id = ?")) {
                        ps.setString(1, orderId);
                        ps.executeUpdate();
                    }
                }).id("steal-lease"));
        try {
            assertThatThrownBy(() -> template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00")))
                    .hasRootCauseInstanceOf(OrderBusyException.class);
            assertThat(pools.calls("transact")).isEmpty();
        } finally {
            AdviceWith.adviceWith(context, "order-quote", a -> a.weaveById("steal-lease").remove());
        }
    }

    @Test
    void aRefusalOfARetriedTransactSaysNothingOfTheTradeAndIsNeverARejection() throws Exception {
        // defect 2: the first transact's answer is lost (503), the retry with the same key is answered 401
        String orderId = Orders.newId("unit-401");
        pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        pools.then("transact", 401, ScriptedPools.error(401, "unauthorized", "unauthorized"));
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        assertThat(replyBody(0).get("outcome").asText()).isEqualTo("accepted");
        assertThat(pools.calls("transact")).hasSize(3);
        assertThat(pools.calls("transact")).extracting(ScriptedPools.Call::idempotencyKey).containsOnly(
                pools.calls("transact").get(0).idempotencyKey());
    }

    @Test
    void aFailedLookupAfterATransactWentOutIsNeverARejection() throws Exception {
        // defect 2: transact outcome unknown (503s), then the lookup of its quote is refused (403)
        String orderId = Orders.newId("unit-403");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        for (int i = 0; i < 5; i++) {
            pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        }
        assertThatThrownBy(() -> template.sendBody("direct:orders", order)).isInstanceOf(CamelExecutionException.class);
        for (int i = 0; i < 5; i++) {
            pools.then("getTransactionByQuote", 403, ScriptedPools.error(403, "forbidden", "forbidden"));
        }

        assertThatThrownBy(() -> template.sendBody("direct:orders", order))
                .rootCause().isInstanceOf(OutcomeUnknownException.class).hasMessageContaining("403");

        assertThat(results.getReceivedCounter()).isZero();
        assertThat(records.get(orderId).state()).isEqualTo(OrderState.TRANSACTING);
    }

    @Test
    void anExpiredQuoteWhoseTransactMayStillCommitIsNeverReplacedWhileItReadsConsumed() throws Exception {
        // defect 4: the transact went out (outcome unknown), the lookup finds nothing yet, the quote expired
        String orderId = Orders.newId("unit-inflight");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        String quoteId = "pq_test_inflight_" + orderId;
        pools.then("createQuote", 200, ScriptedPools.firmQuote(quoteId, Instant.now().plusMillis(2500)));
        for (int i = 0; i < 5; i++) {
            pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        }
        assertThatThrownBy(() -> template.sendBody("direct:orders", order)).isInstanceOf(CamelExecutionException.class);
        QuotePolicy quotes = context.getRegistry().lookupByNameAndType("quotePolicy", QuotePolicy.class);
        org.awaitility.Awaitility.await().until(() -> !quotes.live(records.get(orderId)));
        pools.then("rejectQuote", 409, ScriptedPools.error(409, "conflict", "quote_consumed"));
        pools.then("getQuote", 200, "{\"quoteId\":\"" + quoteId + "\",\"status\":\"consumed\"}");

        assertThatThrownBy(() -> template.sendBody("direct:orders", order))
                .hasRootCauseInstanceOf(QuoteInUseException.class);
        assertThat(pools.calls("createQuote")).hasSize(1);
        assertThat(records.get(orderId).quoteId()).isEqualTo(quoteId);

        // the next delivery finds the trade of the first transact
        pools.then("getTransactionByQuote", 200, ScriptedPools.trade(quoteId, "reserved"));
        results.expectedMessageCount(1);
        template.sendBody("direct:orders", order);
        results.assertIsSatisfied();
        assertThat(replyBody(0).get("transactId").asText()).isEqualTo("txn_" + quoteId);
        assertThat(pools.calls("createQuote")).hasSize(1);
    }

    @Test
    void anExpiredQuoteIsReplacedOnlyOnceOurRejectOfItSucceededAndItStaysInTheHistory() throws Exception {
        String orderId = Orders.newId("unit-retire");
        String order = Orders.onRamp(orderId, "EUR-USDT", "100.00");
        String quoteId = "pq_test_retire_" + orderId;
        pools.then("createQuote", 200, ScriptedPools.firmQuote(quoteId, Instant.now().plusMillis(2500)));
        for (int i = 0; i < 5; i++) {
            pools.then("transact", 503, ScriptedPools.error(503, "server_error", "server_error"));
        }
        assertThatThrownBy(() -> template.sendBody("direct:orders", order)).isInstanceOf(CamelExecutionException.class);
        String firstKey = records.get(orderId).idempotencyKey();
        QuotePolicy quotes = context.getRegistry().lookupByNameAndType("quotePolicy", QuotePolicy.class);
        org.awaitility.Awaitility.await().until(() -> !quotes.live(records.get(orderId)));
        pools.then("rejectQuote", 200, "{\"quoteId\":\"" + quoteId + "\",\"status\":\"rejected\"}");
        results.expectedMessageCount(1);

        template.sendBody("direct:orders", order);

        results.assertIsSatisfied();
        assertThat(pools.calls("rejectQuote")).hasSize(1);
        assertThat(pools.calls("rejectQuote").get(0).path()).isEqualTo("/pools/quotes/" + quoteId + "/reject");
        assertThat(replyBody(0).get("quoteId").asText()).isNotEqualTo(quoteId);
        var dataSource = context.getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT idempotency_key, retired_as, transact_calls FROM order_quote_history WHERE quote_id = ?")) {
            ps.setString(1, quoteId);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(firstKey);
                assertThat(rs.getString(2)).isEqualTo("rejected");
                assertThat(rs.getInt(3)).isEqualTo(5);
            }
        }
    }

    @Test
    void aTradeThatIsNotTheOneTheOrderAskedForIsHeldNotAccepted() throws Exception {
        String orderId = Orders.newId("unit-mismatch");
        String quoteId = "pq_test_mismatch_" + orderId;
        pools.then("createQuote", 200, ScriptedPools.firmQuote(quoteId, Instant.now().plusSeconds(15)));
        pools.then("transact", 200, ScriptedPools.trade(quoteId, "reserved").replace(Orders.TRON_WALLET, "TAttacker"));
        deadLetters.expectedMessageCount(1);
        deadLetters.expectedHeaderReceived("PoolsDeadLetterCode", "trade_mismatch");

        template.sendBody("direct:orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));

        deadLetters.assertIsSatisfied();
        assertThat(deadLetters.getExchanges().get(0).getMessage().getHeader("PoolsDeadLetterReason", String.class))
                .contains("txn_" + quoteId).contains("destAddress");
        assertThat(results.getReceivedCounter()).isZero();
        assertThat(records.get(orderId).state()).isEqualTo(OrderState.FAILED);
    }

    private JsonNode replyBody(int index) throws Exception {
        return JSON.readTree(results.getExchanges().get(index).getMessage().getBody(String.class));
    }
}
