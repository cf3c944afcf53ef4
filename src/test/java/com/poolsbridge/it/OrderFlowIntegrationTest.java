package com.poolsbridge.it;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.order.OrderRecords;
import com.poolsbridge.sandbox.JournalOperations;
import com.poolsbridge.sandbox.Partner;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.LogCapture;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order flow on the real embedded broker, PostgreSQL and 0Pools sandbox, driven only through JMS as a
 * core banking system would; faults come from the sandbox's fault injection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderFlowIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT = 20_000;

    private LogCapture logs;
    private BridgeHarness bridge;
    private JmsClient jms;

    @BeforeAll
    void start() throws Exception {
        logs = LogCapture.attach();
        bridge = BridgeHarness.start(Map.of());
        jms = bridge.jms();
    }

    @AfterAll
    void stop() throws Exception {
        bridge.close();
        logs.close();
    }

    @BeforeEach
    void clean() throws Exception {
        bridge.sandbox().faults().clear();
        bridge.sandbox().clearJournal();
        jms.drain("pools.orders.dlq", null);
    }

    @Test
    void everyOrderGetsOneAcceptedReplyAndOneTrade() throws Exception {
        long tradesBefore = bridge.sandbox().tradeCount();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = Orders.newId("it-ok");
            ids.add(id);
            jms.sendText("pools.orders", Orders.onRamp(id, i % 2 == 0 ? "EUR-USDT" : "EUR-USDC", "100.0" + i)
                    .replace("\"tron\"", i % 2 == 0 ? "\"tron\"" : "\"ethereum\"")
                    .replace(Orders.TRON_WALLET, i % 2 == 0 ? Orders.TRON_WALLET : Orders.EVM_WALLET));
        }
        for (String id : ids) {
            JsonNode reply = reply(id);
            assertThat(reply.get("outcome").asText()).as(reply.toString()).isEqualTo("accepted");
            assertThat(reply.at("/trade/status").asText()).isEqualTo("reserved");
        }
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(10);
        // an Idempotency-Key on every transact and on nothing else; a Content-Type exactly when there is a body
        List<RecordedRequest> calls = bridge.sandbox().journal();
        assertThat(calls).filteredOn(r -> "transact".equals(JournalOperations.operation(r))).hasSize(10)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNotBlank());
        assertThat(calls).filteredOn(r -> "createQuote".equals(JournalOperations.operation(r))).hasSize(10);
        assertThat(calls).filteredOn(r -> !"transact".equals(JournalOperations.operation(r)))
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNull());
        assertThat(calls).allSatisfy(r -> assertThat(r.header("Content-Type") != null)
                .as("%s %s", r.method(), r.pathAndQuery()).isEqualTo(r.body().length > 0));
    }

    @Test
    void theSameOrderMessageSeveralTimesMakesOneTradeAndOneReply() throws Exception {
        long tradesBefore = bridge.sandbox().tradeCount();
        String id = Orders.newId("it-twice");
        String order = Orders.onRamp(id, "EUR-USDT", "250.00");
        for (int copy = 0; copy < 4; copy++) {
            jms.sendText("pools.orders", order); // consumed in parallel by the bridge's consumers
        }

        assertThat(reply(id).get("outcome").asText()).isEqualTo("accepted");
        // every copy consumed and committed: each later copy was rolled back while the first held the order,
        // then acknowledged as a duplicate once the first reply was at the broker
        await().atMost(Duration.ofSeconds(20)).until(() -> messagesIn("pools.orders") == 0);
        assertThat(jms.receive("pools.orders.results", "JMSCorrelationID = '" + id + "'", 1_000)).isNull();
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(1);
    }

    @Test
    void transactFailingThreeTimesThenSucceedingMakesOneTradeWithIdenticalRequests() throws Exception {
        long tradesBefore = bridge.sandbox().tradeCount();
        bridge.sandbox().faults().failAfterCommit("transact", 1).failBeforeCommit("transact", 2);
        String id = Orders.newId("it-500");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "300.00"));

        assertThat(reply(id).get("outcome").asText()).isEqualTo("accepted");
        List<RecordedRequest> transacts = requests("POST", "/transact");
        assertThat(transacts).hasSize(4);
        assertThat(transacts).extracting(RecordedRequest::status).containsExactly(500, 500, 500, 200);
        assertThat(transacts).allSatisfy(r -> {
            assertThat(r.body()).isEqualTo(transacts.get(0).body());
            assertThat(r.header("Idempotency-Key")).isEqualTo(transacts.get(0).header("Idempotency-Key"));
        });
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(1);
    }

    @Test
    void transactCommittedWhoseResponseWasLostMakesOneTrade() throws Exception {
        long tradesBefore = bridge.sandbox().tradeCount();
        bridge.sandbox().faults().resetAfterCommit("transact", 1);
        String id = Orders.newId("it-reset");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "310.00"));

        JsonNode reply = reply(id);
        assertThat(reply.get("outcome").asText()).isEqualTo("accepted");
        assertThat(requests("POST", "/transact")).hasSize(2);
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(1);
    }

    @Test
    void orderRedeliveredAfterACrashedAttemptMakesOneTrade() throws Exception {
        long tradesBefore = bridge.sandbox().tradeCount();
        String id = Orders.newId("it-crash");
        String order = Orders.onRamp(id, "EUR-USDT", "320.00");
        // first delivery: 0Pools commits the trade but the answer is lost on every retry; the message goes back
        // to the broker (was: to the DLQ for an operator to re-drive) with its quote and key kept on the record
        bridge.sandbox().faults().failAfterCommit("transact", 1).failBeforeCommit("transact", 4);
        jms.sendText("pools.orders", order);

        // the broker's redelivery finds the trade by quoteId, none is created
        JsonNode reply = reply(id);
        assertThat(reply.get("outcome").asText()).isEqualTo("accepted");
        assertThat(requests("POST", "/transact")).hasSize(5);
        assertThat(jms.drain("pools.orders.dlq", "PoolsOrderId = '" + id + "'")).isEmpty();
        assertThat(requests("GET", "/pools/transactions/")).isNotEmpty();
        assertThat(bridge.sandbox().tradeCount() - tradesBefore).isEqualTo(1);
    }

    @Test
    void orderLeasedByACrashedConsumerIsResumedAfterTheLeaseNotSkipped() throws Exception {
        String id = Orders.newId("it-lease");
        String order = Orders.onRamp(id, "EUR-USDT", "330.00");
        OrderRecords records = bridge.context().getRegistry().lookupByNameAndType("orderRecords", OrderRecords.class);
        // a consumer registered and claimed the order and died before committing anything else
        assertThat(records.claim(new com.poolsbridge.order.OrderMessage(id, "EUR-USDT", "on_ramp",
                new BigDecimal("330.00"), "tron", Orders.TRON_WALLET, null, null), null, "dead-consumer", 2_000).claim())
                .isEqualTo(OrderRecords.Claim.CLAIMED);

        jms.sendText("pools.orders", order);

        // waited in-process while leased (no broker delivery attempt spent), claimed after the lease ran out
        assertThat(reply(id).get("outcome").asText()).isEqualTo("accepted");
        assertThat(deliveries(id)).as("claimed by the dead consumer, then by the redelivery").isEqualTo(2);
    }

    @Test
    void eachDenialIsRejectedWithItsCodeAndMovesNoMoney() throws Exception {
        Map<String, Consumer<Partner>> partnerDenials = new HashMap<>();
        partnerDenials.put("kyc_not_approved", p -> p.kycStatus("pending"));
        partnerDenials.put("pool_access_suspended", p -> p.status("suspended"));
        partnerDenials.put("pools_not_enabled", p -> p.productEnabled(false));
        partnerDenials.put("insufficient_balance", p -> p.balance(new BigDecimal("5.00")));
        long tradesBefore = bridge.sandbox().tradeCount();
        for (var denial : partnerDenials.entrySet()) {
            bridge.sandbox().updatePartner("demo-bank", denial.getValue());
            try {
                String id = Orders.newId("it-deny");
                jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "100.00"));
                JsonNode reply = reply(id);
                assertThat(reply.get("outcome").asText()).isEqualTo("rejected");
                assertThat(reply.at("/rejection/code").asText()).isEqualTo(denial.getKey());
                assertThat(reply.at("/rejection/requestId").asText()).startsWith("req_");
            } finally {
                bridge.sandbox().updatePartner("demo-bank", p -> p.kycStatus("approved").status("active")
                        .productEnabled(true).balance(new BigDecimal("1000000.00")));
            }
        }
        Map<String, String> orderDenials = Map.of(
                "off_ramp_not_enabled", Orders.order(Orders.newId("it-deny"), "EUR-USDC", "off_ramp", "50.00", "ethereum"),
                "pool_dry", Orders.onRamp(Orders.newId("it-deny"), "EUR-USDT", "100.66"),
                "amount_out_of_range", Orders.onRamp(Orders.newId("it-deny"), "EUR-USDT", "90000.00"),
                "not_found", Orders.onRamp(Orders.newId("it-deny"), "EUR-GBP", "100.00"),
                "side_not_supported", Orders.order(Orders.newId("it-deny"), "EUR-USDT", "off_ramp", "50.00", "tron"));
        for (var denial : orderDenials.entrySet()) {
            String id = JSON.readTree(denial.getValue()).get("orderId").asText();
            jms.sendText("pools.orders", denial.getValue());
            JsonNode reply = reply(id);
            assertThat(reply.get("outcome").asText()).as(denial.getKey()).isEqualTo("rejected");
            assertThat(reply.at("/rejection/code").asText()).isEqualTo(denial.getKey());
        }
        assertThat(bridge.sandbox().tradeCount()).isEqualTo(tradesBefore);
    }

    @Test
    void malformedAndSchemaInvalidOrdersAreDeadLetteredByteForByte() throws Exception {
        byte[] notUtf8 = {0x7b, (byte) 0xff, (byte) 0xfe, 0x22, 0x6f};
        String invalid = "{\"orderId\":\"it-invalid-1\",\"poolId\":\"EUR-USDT\",\"side\":\"on_ramp\",\"amount\":\"-5\"}";
        jms.sendBytes("pools.orders", notUtf8);
        jms.sendText("pools.orders", invalid);

        Message first = jms.receive("pools.orders.dlq", "PoolsDeadLetterCode = 'invalid_json'", WAIT);
        assertThat(first).isInstanceOf(BytesMessage.class);
        byte[] copy = new byte[(int) ((BytesMessage) first).getBodyLength()];
        ((BytesMessage) first).readBytes(copy);
        assertThat(copy).isEqualTo(notUtf8);
        assertThat(first.getStringProperty("PoolsDeadLetterRoute")).isEqualTo("order-intake");

        Message second = jms.receive("pools.orders.dlq", "PoolsDeadLetterCode = 'schema_violation'", WAIT);
        assertThat(JmsClient.text(second)).isEqualTo(invalid);
        assertThat(second.getStringProperty("PoolsDeadLetterReason")).contains("amount").contains("cryptoNetwork");
        assertThat(requests("POST", "/quote")).isEmpty();
    }

    @Test
    void rateLimitedQuoteIsRetriedNoSoonerThanRetryAfterShort() throws Exception {
        bridge.sandbox().faults().rateLimitBurst("createQuote", 1, 2);
        String id = Orders.newId("it-429");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "340.00"));

        assertThat(reply(id).get("outcome").asText()).isEqualTo("accepted");
        List<RecordedRequest> quotes = requests("POST", "/quote");
        assertThat(quotes).extracting(RecordedRequest::status).containsExactly(429, 200);
        assertThat(Duration.between(quotes.get(0).receivedAt(), quotes.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void forgedCamelHeadersOnAnOrderHaveNoEffect() throws Exception {
        String id = Orders.newId("it-inject");
        Map<String, Object> forged = new HashMap<>();
        forged.put("CamelJmsDestinationName", "pools.evil");
        forged.put("camelJmsDestinationName", "pools.evil2");
        forged.put("CamelHttpUri", "http://127.0.0.1:1/evil");
        forged.put("CamelHttpPath", "/evil");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "350.00"), forged);

        assertThat(reply(id).get("outcome").asText()).isEqualTo("accepted");
        assertThat(jms.drain("pools.evil", null)).isEmpty();
        assertThat(jms.drain("pools.evil2", null)).isEmpty();
        assertThat(requests("POST", "/pools/EUR-USDT/quote")).hasSize(1);
    }

    @Test
    void plantedSecretsNeverAppearInLogsOrMessages() throws Exception {
        String id = Orders.newId("it-secret");
        bridge.sandbox().faults().failBeforeCommit("createQuote", 1);
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "360.00"));
        String reply = reply(id).toString();
        jms.sendText("pools.orders", "not json " + id);
        Message dead = jms.receive("pools.orders.dlq", null, WAIT);

        StringBuilder everything = new StringBuilder(logs.all()).append(reply).append(JmsClient.text(dead));
        for (var names = dead.getPropertyNames(); names.hasMoreElements(); ) {
            everything.append(dead.getObjectProperty((String) names.nextElement()));
        }
        for (RecordedRequest request : bridge.sandbox().journal()) {
            everything.append(request.headers());
        }
        assertThat(logs.all()).contains(id); // the capture really saw this flow
        assertThat(everything.toString())
                .doesNotContain(TestInfrastructure.SECRET_KEY)
                .doesNotContain(TestInfrastructure.WEBHOOK_SECRET)
                .doesNotContain(TestInfrastructure.DB_PASSWORD);
    }

    private List<RecordedRequest> requests(String method, String pathPart) {
        return bridge.sandbox().journal().stream()
                .filter(r -> r.method().equals(method) && r.pathAndQuery().contains(pathPart)).toList();
    }

    private JsonNode reply(String orderId) throws Exception {
        Message reply = jms.reply(orderId, WAIT);
        assertThat(reply).as("reply for " + orderId).isNotNull();
        return JSON.readTree(JmsClient.text(reply));
    }

    private long messagesIn(String queue) throws Exception {
        return TestInfrastructure.get().broker().server().getActiveMQServer()
                .locateQueue(queue).getMessageCount();
    }

    private int deliveries(String orderId) throws Exception {
        var dataSource = bridge.context().getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (var c = dataSource.getConnection();
             var ps = c.prepareStatement("SELECT deliveries FROM order_record WHERE order_id = ?")) {
            ps.setString(1, orderId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
