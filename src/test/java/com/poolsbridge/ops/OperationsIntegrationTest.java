package com.poolsbridge.ops;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.process.TcpProxy;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees and steers, on the real embedded broker, PostgreSQL and 0Pools sandbox: readiness that
 * tells the truth (broker and database reached through proxies that can be frozen), the order consumer
 * suspended and resumed over JMX, business metrics after real orders, and the replay of dead letters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT = 30_000;
    private static final String DLQ = "pools.orders.dlq";

    private final HttpClient http = HttpClient.newHttpClient();
    private TcpProxy brokerProxy;
    private TcpProxy dbProxy;
    private PoolsSandbox sandbox;
    private BridgeApplication app;
    private CamelContext context;
    private JmsClient jms;
    private Map<String, String> env;
    private int managementPort;

    @BeforeAll
    void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        brokerProxy = new TcpProxy("broker", URI.create(infra.broker().url()).getPort());
        String dbUrl = infra.database().jdbcUrl();
        int dbPort = Integer.parseInt(dbUrl.replaceAll("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
        dbProxy = new TcpProxy("database", dbPort);
        sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
        env = infra.environment(sandbox.baseUrl());
        env.put("BROKER_URL", "tcp://127.0.0.1:" + brokerProxy.port());
        env.put("DB_URL", dbUrl.replace(":" + dbPort + "/", ":" + dbProxy.port() + "/"));
        managementPort = ProcessHarness.freePort();
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("camel.management.port", String.valueOf(managementPort));
        props.put("metrics.refresh-ms", "300");
        props.put("camel.main.jmx-enabled", "true");
        // the second delivery is the broker's last: what still fails then is dead-lettered with its reason
        // (earlier deliveries roll back for the broker to redeliver)
        props.put("orders.broker-max-delivery-attempts", "2");
        app = new BridgeApplication(BridgeSettings.fromEnvironment(env), props);
        context = app.start();
        jms = new JmsClient(infra.broker().url());
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        sandbox.close();
        jms.drain(DLQ, null);
        jms.close();
        brokerProxy.close();
        dbProxy.close();
    }

    @BeforeEach
    void clean() throws Exception {
        brokerProxy.pass();
        dbProxy.pass();
        sandbox.faults().clear();
        jms.drain(DLQ, null);
        awaitStatus("/observe/health/ready", 200);
    }

    @Test
    void suspendingTheOrderConsumerOverJmxTakesThePodOutOfServiceWithoutFailingLiveness() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> routes = mbeans.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
        ObjectName intake = routes.stream().filter(n -> "\"order-intake\"".equals(n.getKeyProperty("name"))
                || "order-intake".equals(n.getKeyProperty("name"))).findFirst().orElseThrow();
        assertThat(routes).hasSizeGreaterThan(5);
        assertThat(mbeans.getAttribute(intake, "ExchangesTotal")).isInstanceOf(Long.class);

        mbeans.invoke(intake, "suspend", null, null);
        assertThat(context.getRouteController().getRouteStatus("order-intake")).isEqualTo(ServiceStatus.Suspended);
        HttpResponse<String> ready = awaitStatus("/observe/health/ready", 503);
        assertThat(ready.body()).contains("DOWN");
        assertThat(get("/observe/health/live").statusCode()).isEqualTo(200);

        mbeans.invoke(intake, "resume", null, null);
        awaitStatus("/observe/health/ready", 200);
        String id = Orders.newId("ops-resumed");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "100.00"));
        assertThat(outcome(id)).isEqualTo("accepted");
    }

    @Test
    void readinessIsDownWhileTheDatabaseOrTheBrokerDoesNotAnswerAndLivenessStaysUp() throws Exception {
        for (TcpProxy dependency : List.of(dbProxy, brokerProxy)) {
            dependency.freeze();
            HttpResponse<String> ready = awaitStatus("/observe/health/ready", 503);
            assertThat(ready.body()).as(dependency.name()).contains("DOWN");
            assertThat(get("/observe/health/live").statusCode()).as(dependency.name()).isEqualTo(200);
            dependency.pass();
            awaitStatus("/observe/health/ready", 200);
        }
    }

    @Test
    void businessMetricsAppearAfterOrdersWithPlausibleValues() throws Exception {
        String accepted = Orders.newId("ops-metrics-ok");
        sandbox.faults().rateLimitBurst("createQuote", 1, 1);
        jms.sendText("pools.orders", Orders.onRamp(accepted, "EUR-USDT", "110.00"));
        assertThat(outcome(accepted)).isEqualTo("accepted");
        sandbox.faults().clear();
        String rejected = Orders.newId("ops-metrics-rejected");
        jms.sendText("pools.orders", Orders.onRamp(rejected, "EUR-USDT", "90000.00"));
        assertThat(outcome(rejected)).isEqualTo("rejected");
        String dead = Orders.newId("ops-metrics-dead");
        // every transact fails: 5 tries on the first delivery, then the last delivery dead-letters it
        sandbox.faults().failBeforeCommit("transact", 10);
        jms.sendText("pools.orders", Orders.onRamp(dead, "EUR-USDT", "130.00"));
        assertThat(jms.receive(DLQ, "PoolsOrderId = '" + dead + "'", WAIT)).isNotNull();
        jms.sendText(DLQ, "kept for the depth gauge", Map.of("PoolsDeadLetterCode", "test"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String scrape = get("/observe/metrics").body();
            Map<String, Double> m = Scrape.parse(scrape);
            assertThat(m.get("pools_bridge_orders_total{code=\"none\",outcome=\"accepted\"}")).isGreaterThanOrEqualTo(1);
            assertThat(m.get("pools_bridge_orders_total{code=\"amount_out_of_range\",outcome=\"rejected\"}")).isGreaterThanOrEqualTo(1);
            assertThat(m.get("pools_bridge_orders_open{state=\"failed\"}")).isGreaterThanOrEqualTo(1);
            assertThat(m.get("pools_bridge_trades_reserved")).isGreaterThanOrEqualTo(1);
            assertThat(m.get("pools_bridge_trades_reserved_oldest_age_seconds")).isGreaterThanOrEqualTo(0);
            assertThat(m.get("pools_bridge_dlq_depth{queue=\"pools.orders.dlq\"}")).isGreaterThanOrEqualTo(1);
            assertThat(m.get("pools_bridge_pools_calls_seconds_count{operation=\"transact\",status=\"200\"}")).isGreaterThanOrEqualTo(1);
            assertThat(m.entrySet().stream().filter(e -> e.getKey().startsWith("pools_bridge_pools_calls_seconds_count{operation=\"transact\",status=\"5"))
                    .mapToDouble(Map.Entry::getValue).sum()).isGreaterThanOrEqualTo(5);
            assertThat(m.get("pools_bridge_pools_calls_seconds_sum{operation=\"transact\",status=\"200\"}")).isPositive();
            assertThat(m.get("pools_bridge_pools_rate_limited_total{operation=\"createQuote\"}")).isGreaterThanOrEqualTo(1);
            // the last answer's X-RateLimit-Remaining-short, under the test sandbox's short tier of 1,000,000
            assertThat(m.get("pools_bridge_pools_rate_limit_remaining")).isBetween(0.0, 1_000_000.0);
            assertThat(m.get("pools_bridge_reconciliation_last_complete_walk_age_seconds")).isGreaterThanOrEqualTo(0);
            assertThat(m.get("pools_bridge_settlements_total{status=\"returned\"}")).isGreaterThanOrEqualTo(0);
            assertThat(m.get("pools_bridge_reconciliation_findings_total{kind=\"mismatched\"}")).isGreaterThanOrEqualTo(0);
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"))
                    .anyMatch(k -> k.startsWith("hikaricp_connections"))
                    .anyMatch(k -> k.startsWith("httpcomponents_httpclient_pool_total_max"))
                    .anyMatch(k -> k.startsWith("camel_exchanges_total"));
            // Camel's route metrics for the routes that take work in, none for the direct: routes they call
            assertThat(m.entrySet().stream().filter(e -> e.getKey().startsWith("camel_exchanges_total{")
                    && e.getKey().contains("routeId=\"order-intake\"")).mapToDouble(Map.Entry::getValue).sum())
                    .isGreaterThanOrEqualTo(1);
            assertThat(m.keySet().stream().filter(k -> k.startsWith("camel_exchanges_total{")))
                    .anyMatch(k -> k.contains("routeId=\"settlement-poller\""))
                    .noneMatch(k -> k.contains("routeId=\"pools-api\"") || k.contains("routeId=\"order-quote\""))
                    .allMatch(k -> k.contains("routeId="));
        });
    }

    @Test
    void aReplayedDeadLetterResumesIntoExactlyOneTradeAndOneReplyAndBadContentIsRefused() throws Exception {
        long tradesBefore = sandbox.tradeCount();
        String id = Orders.newId("ops-replay");
        // 0Pools commits the trade but every answer is lost, and on the last delivery so is the trade lookup:
        // the order is dead-lettered holding its quote and key
        sandbox.faults().failAfterCommit("transact", 1).failBeforeCommit("transact", 4)
                .failBeforeCommit("getTransactionByQuote", 10);
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "140.00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> new Replay(queues(), "pools.orders", dataSource()).list()
                .stream().anyMatch(l -> id.equals(l.orderId())));
        jms.sendText("pools.orders", "{not json");
        await().atMost(Duration.ofSeconds(30)).until(() -> new Replay(queues(), "pools.orders", dataSource()).list()
                .stream().anyMatch(l -> "invalid_json".equals(l.code())));
        sandbox.faults().clear();

        assertThat(ReplayCommand.run(new String[]{"--code", "invalid_json", "--by", "ops-test"}, env)).isEqualTo(3);
        assertThat(ReplayCommand.run(new String[]{"--order", id, "--by", "ops-test"}, env)).isZero();

        assertThat(outcome(id)).isEqualTo("accepted");
        assertThat(sandbox.tradeCount() - tradesBefore).isEqualTo(1);
        assertThat(jms.receive("pools.orders.results", "JMSCorrelationID = '" + id + "'", 2_000)).as("one reply only").isNull();
        List<DeadLetter> left = new Replay(queues(), "pools.orders", dataSource()).list();
        assertThat(left).noneMatch(l -> id.equals(l.orderId())).anyMatch(l -> "invalid_json".equals(l.code()));
        assertThat(Jdbc.query(dataSource(), "SELECT action, operator FROM replay_record WHERE order_id = ?",
                rs -> rs.getString(1) + "/" + rs.getString(2), id)).containsExactly("redriven/ops-test");
        assertThat(Jdbc.query(dataSource(), """
                SELECT action FROM replay_record WHERE dead_letter_code = 'invalid_json' AND operator = 'ops-test'""",
                rs -> rs.getString(1))).isNotEmpty().allMatch("refused"::equals);
    }

    private DeadLetterQueues queues() {
        return new DeadLetterQueues(new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                env.get("BROKER_URL")), List.of(DLQ, "DLQ"));
    }

    private javax.sql.DataSource dataSource() {
        return context.getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
    }

    private String outcome(String orderId) throws Exception {
        Message reply = jms.reply(orderId, WAIT);
        assertThat(reply).as("reply for " + orderId).isNotNull();
        return JSON.readTree(JmsClient.text(reply)).get("outcome").asText();
    }

    private HttpResponse<String> awaitStatus(String path, int status) {
        Map<String, HttpResponse<String>> last = new HashMap<>();
        await(path + " " + status).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = get(path);
            last.put(path, response);
            return response.statusCode() == status;
        });
        return last.get(path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
