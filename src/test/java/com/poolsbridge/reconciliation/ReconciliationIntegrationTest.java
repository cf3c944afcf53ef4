package com.poolsbridge.reconciliation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.SandboxTls;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.JsonSchemas;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system on loopback (embedded broker and database, the 0Pools sandbox, pools-bridge started as in
 * production, exactly what BridgeHarness does): orders accepted through the real order flow, one trade made
 * behind the bridge's back, and a reconciliation walk interrupted after its first page by stopping the
 * application, then finished by a new application on the same database.
 */
class ReconciliationIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().sslContext(SandboxTls.selfSigned().clientContext()).build();

    @Test
    void restartMidWalkResumesTheCursorAndReportsEveryTradeExactlyOnce() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String walkName = "it-" + UUID.randomUUID().toString().substring(0, 8);
        try (PoolsSandbox sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
             JmsClient jms = new JmsClient(infra.broker().url())) {
            List<String> orderIds = new ArrayList<>();
            Map<String, JsonNode> trades = new java.util.LinkedHashMap<>();
            String runId;
            String unknownTransactId;
            String settledTransactId;
            String settledOrderId;
            // first application: accept four orders, then walk one page of two trades and stop
            try (BridgeApplication app = new BridgeApplication(infra.settings(sandbox.baseUrl()), props(walkName, 1))) {
                CamelContext context = app.start();
                for (String amount : List.of("100.00", "101.00", "102.00", "103.00")) {
                    String orderId = Orders.newId("recon-it");
                    orderIds.add(orderId);
                    jms.sendText("pools.orders", Orders.onRamp(orderId, "EUR-USDT", amount));
                }
                for (String orderId : orderIds) {
                    Message reply = jms.reply(orderId, 20_000);
                    assertThat(reply).as("reply for " + orderId).isNotNull();
                    JsonNode result = JSON.readTree(JmsClient.text(reply));
                    assertThat(result.get("outcome").asText()).isEqualTo("accepted");
                    trades.put(orderId, result.get("trade"));
                }
                // the newest order's trade settles at 0Pools while our record still says reserved (no poller here)
                settledTransactId = call(sandbox, "GET", "/pools/trades?limit=1", null, null).at("/data/0/transactId").asText();
                settledOrderId = orderIds.stream()
                        .filter(id -> trades.get(id).get("transactId").asText().equals(settledTransactId)).findFirst().orElseThrow();
                JsonNode last = trades.get(settledOrderId);
                String status = "reserved";
                for (int i = 0; i < 5 && !status.equals("settled"); i++) {
                    status = call(sandbox, "GET", "/pools/transactions/" + last.get("quoteId").asText(), null, null)
                            .get("status").asText();
                }
                assertThat(status).isEqualTo("settled");
                // a trade the bridge never made
                JsonNode quote = call(sandbox, "POST", "/pools/EUR-USDT/quote", """
                        {"side":"on_ramp","amount":"55.00","type":"firm","cryptoNetwork":"tron","destAddress":"%s"}"""
                        .formatted(Orders.TRON_WALLET), null);
                unknownTransactId = call(sandbox, "POST", "/pools/EUR-USDT/transact",
                        "{\"quoteId\":\"" + quote.get("quoteId").asText() + "\"}", "manual-" + UUID.randomUUID())
                        .get("transactId").asText();

                // the suite shares one database: returned trades that other tests' returned reads kept are not this
                // sandbox's (the walk re-reconciles every kept returned trade of its window)
                try (Connection c = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class).getConnection();
                     PreparedStatement ps = c.prepareStatement("DELETE FROM returned_trade")) {
                    ps.executeUpdate();
                }
                Exchange tick = context.createProducerTemplate().send("direct:reconciliation-walk", e -> { });
                assertThat(tick.getException()).isNull();
                runId = scalar(context, "SELECT run_id FROM reconciliation_cursor WHERE name = ?", walkName);
                assertThat(runId).isNotNull();
                // newest first: the unknown trade and the settled one are on the first page
                assertThat(scalar(context, "SELECT page_cursor FROM reconciliation_cursor WHERE name = ?", walkName))
                        .isEqualTo(settledTransactId);
            }

            // second application on the same database: the walk resumes after the first page and completes
            try (BridgeApplication app = new BridgeApplication(infra.settings(sandbox.baseUrl()), props(walkName, 100))) {
                CamelContext context = app.start();
                Exchange tick = context.createProducerTemplate().send("direct:reconciliation-walk", e -> { });
                assertThat(tick.getException()).isNull();
                assertThat(scalar(context, "SELECT run_id FROM reconciliation_cursor WHERE name = ?", walkName)).isNull();
                assertThat(scalar(context, "SELECT resumed || '/' || pages FROM reconciliation_run WHERE run_id = ?", runId))
                        .isEqualTo("1/3");
                List<String> listCalls = sandbox.journal().stream().map(com.poolsbridge.sandbox.RecordedRequest::pathAndQuery)
                        .filter(r -> r.contains("/pools/trades?limit=2")).toList();
                assertThat(listCalls).hasSize(3);   // three pages of two, none read twice

                Map<String, JsonNode> byTrade = new java.util.LinkedHashMap<>();
                for (Message m : jms.drain("pools.reconciliation", "PoolsReconciliationRunId = '" + runId + "'")) {
                    JsonNode finding = JSON.readTree(JmsClient.text(m));
                    assertThat(JsonSchemas.validate("reconciliation.schema.json", finding.toString())).isEmpty();
                    if (finding.get("kind").asText().equals("order_without_trade") || finding.get("kind").asText().equals("stuck_reserved")) {
                        assertThat(orderIds).doesNotContain(finding.get("orderId").asText());  // other tests' orders only
                        continue;
                    }
                    assertThat(byTrade.put(finding.get("transactId").asText(), finding))
                            .as("trade reported twice: " + finding).isNull();
                }
                assertThat(byTrade).hasSize(5);
                assertThat(byTrade.get(unknownTransactId).get("kind").asText()).isEqualTo("trade_unknown");
                JsonNode settled = byTrade.get(settledTransactId);
                assertThat(settled.get("kind").asText()).isEqualTo("mismatched");
                assertThat(settled.get("orderId").asText()).isEqualTo(settledOrderId);
                assertThat(settled.get("differences").toString()).contains("\"field\":\"status\",\"ours\":\"reserved\",\"theirs\":\"settled\"");
                for (String orderId : orderIds.stream().filter(id -> !id.equals(settledOrderId)).toList()) {
                    JsonNode finding = byTrade.get(trades.get(orderId).get("transactId").asText());
                    assertThat(finding.get("kind").asText()).as(finding.toString()).isEqualTo("matched");
                    assertThat(finding.get("orderId").asText()).isEqualTo(orderId);
                    assertThat(finding.at("/amounts/ledgerDebit").asText()).isEqualTo(
                            "-" + finding.at("/amounts/tradeFiat").asText());
                }

                String report = ReconciliationReport.render(context.getRegistry().lookupByNameAndType("dataSource", DataSource.class),
                        LocalDate.now(ZoneOffset.UTC));
                assertThat(report).contains(settledTransactId).contains(unknownTransactId).contains("trade_unknown");
            }
        }
    }

    private static Map<String, String> props(String walkName, int maxPagesPerTick) {
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("reconciliation.initial-delay-ms", "3600000");
        props.put("reconciliation.walk-name", walkName);
        props.put("reconciliation.trades-page-size", "2");
        props.put("reconciliation.max-pages-per-tick", String.valueOf(maxPagesPerTick));
        props.put("reconciliation.max-calls-per-second", "100");
        return props;
    }

    private JsonNode call(PoolsSandbox sandbox, String method, String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer " + TestInfrastructure.SECRET_KEY)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String scalar(CamelContext context, String sql, String arg) throws Exception {
        DataSource ds = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
