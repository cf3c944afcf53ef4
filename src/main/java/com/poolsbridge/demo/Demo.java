package com.poolsbridge.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.EmbeddedBroker;
import com.poolsbridge.infra.EmbeddedDatabase;
import com.poolsbridge.infra.QueueNames;
import com.poolsbridge.reconciliation.ReconciliationReport;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.SandboxConfig;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.util.FileUtil;

/**
 * {@code java -jar target/pools-bridge-demo.jar demo [--keep-running]}: starts an embedded Artemis broker, an
 * embedded PostgreSQL, the 0Pools sandbox and pools-bridge itself, sends the sample orders as core banking
 * would, prints what came back, follows the accepted trades to settlement and prints the reconciliation report.
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long REPLY_TIMEOUT_MS = 30_000;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        boolean keepRunning = List.of(args).contains("--keep-running");
        Path dataDir = Path.of("target", "demo");
        FileUtil.removeDir(dataDir.toFile());
        Files.createDirectories(dataDir);

        QueueNames queues = QueueNames.defaults();
        Map<String, String> pace = demoPace();
        int callsPerWindow = Integer.parseInt(pace.remove("demo.sandbox.calls-per-window"));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(null);
             EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("broker"), queues)) {
            SandboxConfig sandboxConfig = SandboxConfig.defaults()
                    .with("settings.rateLimits.short.limit", callsPerWindow)
                    .with("settings.rateLimits.medium.limit", callsPerWindow)
                    .with("settings.rateLimits.long.limit", callsPerWindow);
            int httpPort = freePort();
            // https with a certificate made at start, as production reaches 0Pools (trusted via POOLS_TRUST_STORE)
            try (PoolsSandbox sandbox = PoolsSandbox.startTls(sandboxConfig, 0);
                 BridgeApplication bridge = new BridgeApplication(settings(sandbox, broker, database, httpPort), pace)) {
                bridge.start();
                // 0Pools delivers signed terminal webhooks to the bridge, a second source beside polling
                sandbox.setPartnerWebhookUrl("demo-bank", "http://127.0.0.1:" + httpPort + "/webhooks/0pools");
                List<Row> rows = runSamples(broker.url(), sandbox, queues);
                System.out.println();
                System.out.println(Row.table(rows));
                long unexpected = rows.stream().filter(r -> !r.asExpected()).count();
                System.out.printf("%d orders, %d as expected, %d trades at 0Pools%n%n",
                        rows.size(), rows.size() - unexpected, sandbox.tradeCount());
                unexpected += settleAndReconcile(broker.url(), queues, bridge, expectedSettlements(rows));
                if (keepRunning) {
                    System.out.printf("Still running. Broker %s, database %s, 0Pools sandbox %s, management http://127.0.0.1:9876/observe/health%n"
                            + "Send orders to queue %s; press Ctrl-C to stop.%n", broker.url(), database.jdbcUrl(),
                            sandbox.baseUrl(), queues.orders());
                    Thread.currentThread().join();
                }
                if (unexpected > 0) {
                    System.exit(1);
                }
            }
        }
    }

    /** The demo's pace, config/demo.properties: overrides of the bridge's keys, and the sandbox's tiers. */
    private static Map<String, String> demoPace() throws IOException {
        Properties file = new Properties();
        try (InputStream in = Demo.class.getResourceAsStream("/config/demo.properties")) {
            file.load(in);
        }
        Map<String, String> pace = new HashMap<>();
        file.stringPropertyNames().forEach(key -> pace.put(key, file.getProperty(key)));
        return pace;
    }

    /** Expected terminal statuses of the accepted sample orders, by the sandbox's scenario rule (amount cents). */
    private static Map<String, List<String>> expectedSettlements(List<Row> rows) {
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        for (Row row : rows) {
            if ("accepted".equals(row.outcome())) {
                String body = row.sample().body();
                expected.put(row.orderId(), body.contains(".13\"") ? List.of("failed")
                        : body.contains(".14\"") ? List.of("released")
                        : body.contains(".15\"") ? List.of("settled", "returned") : List.of("settled"));
            }
        }
        return expected;
    }

    private static long settleAndReconcile(String brokerUrl, QueueNames queues, BridgeApplication bridge,
                                           Map<String, List<String>> expected) throws Exception {
        System.out.println("Settlement: the poller drives every reserved trade to its terminal state ...");
        List<JsonNode> settlements;
        try (Connection connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            settlements = DemoSettlements.await(session, queues.settlements(), expected, 90_000);
        }
        System.out.println();
        System.out.println(DemoSettlements.table(settlements, expected));
        int wanted = expected.values().stream().mapToInt(List::size).sum();
        System.out.printf("%d settlement messages, %d expected%n%n", settlements.size(), wanted);

        DataSource dataSource = bridge.camelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        System.out.println("Reconciliation: waiting for a complete walk of the trades and the ledger ...");
        boolean reconciled = awaitReconciliationAfter(dataSource, Instant.now(), 60_000);
        System.out.println();
        System.out.println(ReconciliationReport.render(dataSource, LocalDate.now(ZoneOffset.UTC)));
        return (settlements.size() == wanted ? 0 : 1) + (reconciled ? 0 : 1);
    }

    private static boolean awaitReconciliationAfter(DataSource dataSource, Instant after, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                    "SELECT count(*) FROM reconciliation_run WHERE started_at > ? AND finished_at IS NOT NULL")) {
                ps.setTimestamp(1, java.sql.Timestamp.from(after));
                try (var rs = ps.executeQuery()) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        return true;
                    }
                }
            }
            Thread.sleep(250); // a demo waiting on a background schedule, not a test
        }
        return false;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static BridgeSettings settings(PoolsSandbox sandbox, EmbeddedBroker broker, EmbeddedDatabase database, int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("POOLS_BASE_URL", sandbox.baseUrl());
        env.put("POOLS_SECRET_KEY", "sk_test_demobank_0000000000000001");
        env.put("POOLS_PUBLISHABLE_KEY", "pk_test_demobank_0000000000000001");
        env.put("POOLS_WEBHOOK_SECRET", "whsec_test_demobank_0000000000000001");
        env.put("BROKER_URL", broker.url());
        env.put("DB_URL", database.jdbcUrl());
        env.put("DB_USER", database.user());
        env.put("HTTP_PORT", String.valueOf(httpPort));
        // the sandbox's self-signed certificate, as a bank configures a private CA
        env.put("POOLS_TRUST_STORE", sandbox.tls().trustStorePath().toString());
        env.put("POOLS_TRUST_STORE_PASSWORD", sandbox.tls().trustStorePassword());
        return BridgeSettings.fromEnvironment(env);
    }

    /** One order at a time, so a partner-level denial applies to its own order only. */
    private static List<Row> runSamples(String brokerUrl, PoolsSandbox sandbox, QueueNames queues) throws Exception {
        List<Row> rows = new ArrayList<>();
        String run = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        try (Connection connection = new ActiveMQConnectionFactory(brokerUrl).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (SampleOrders.Sample sample : SampleOrders.all(run)) {
                if (sample.partnerChange() != null) {
                    sandbox.updatePartner("demo-bank", sample.partnerChange());
                }
                try {
                    session.createProducer(session.createQueue(queues.orders())).send(session.createTextMessage(sample.body()));
                    rows.add(outcome(session, queues, sample));
                } finally {
                    if (sample.partnerChange() != null) {
                        sandbox.updatePartner("demo-bank", SampleOrders.restore());
                    }
                }
            }
        }
        return rows;
    }

    private static Row outcome(Session session, QueueNames queues, SampleOrders.Sample sample) throws Exception {
        if (sample.expected().startsWith("dead-lettered")) {
            Message dead = receive(session, queues.deadLetter(), null);
            String code = dead == null ? "(nothing)" : dead.getStringProperty("PoolsDeadLetterCode");
            return new Row(sample, sample.orderId() == null ? "-" : sample.orderId(), "dead-lettered: " + code, "-", "-");
        }
        Message message = receive(session, queues.results(), "JMSCorrelationID = '" + sample.orderId() + "'");
        if (message == null) {
            return new Row(sample, sample.orderId(), "(no reply)", "-", "-");
        }
        JsonNode reply = JSON.readTree(((TextMessage) message).getText());
        String outcome = reply.get("outcome").asText();
        if ("accepted".equals(outcome)) {
            return new Row(sample, sample.orderId(), outcome, reply.get("transactId").asText(), reply.path("requestId").asText("-"));
        }
        return new Row(sample, sample.orderId(), outcome + ": " + reply.at("/rejection/code").asText(),
                reply.at("/rejection/source").asText() + " " + reply.at("/rejection/status").asText(""),
                reply.at("/rejection/requestId").asText("-"));
    }

    private static Message receive(Session session, String queue, String selector) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
            return consumer.receive(REPLY_TIMEOUT_MS);
        }
    }

    record Row(SampleOrders.Sample sample, String orderId, String outcome, String detail, String requestId) {

        boolean asExpected() {
            return outcome.equals(sample.expected());
        }

        static String table(List<Row> rows) {
            String format = "%-18s %-44s %-36s %-28s %-28s %s%n";
            StringBuilder out = new StringBuilder(String.format(format, "ORDER", "CASE", "OUTCOME", "TRADE / REFUSED BY", "REQUEST ID", "OK"));
            for (Row row : rows) {
                out.append(String.format(format, row.orderId, row.sample.label(), row.outcome, row.detail, row.requestId,
                        row.asExpected() ? "yes" : "NO (expected " + row.sample.expected() + ")"));
            }
            return out.toString();
        }
    }
}
