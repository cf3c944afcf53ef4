package com.poolsbridge.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.EmbeddedBroker;
import com.poolsbridge.infra.EmbeddedDatabase;
import com.poolsbridge.infra.QueueNames;
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
 * {@code java -jar target/pools-bridge.jar demo [--keep-running]}: starts an embedded Artemis broker, an
 * embedded PostgreSQL, the 0Pools sandbox and pools-bridge itself, sends the sample orders as core banking
 * would, and prints what came back.
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
        try (EmbeddedDatabase database = EmbeddedDatabase.start(null);
             EmbeddedBroker broker = EmbeddedBroker.start(dataDir.resolve("broker"), queues)) {
            SandboxConfig sandboxConfig = SandboxConfig.defaults();
            try (PoolsSandbox sandbox = PoolsSandbox.start(sandboxConfig, 0);
                 BridgeApplication bridge = new BridgeApplication(settings(sandbox, broker, database), Map.of())) {
                bridge.start();
                List<Row> rows = runSamples(broker.url(), sandbox, queues);
                System.out.println();
                System.out.println(Row.table(rows));
                long unexpected = rows.stream().filter(r -> !r.asExpected()).count();
                System.out.printf("%d orders, %d as expected, %d trades at 0Pools%n%n",
                        rows.size(), rows.size() - unexpected, sandbox.tradeCount());
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

    private static BridgeSettings settings(PoolsSandbox sandbox, EmbeddedBroker broker, EmbeddedDatabase database) {
        Map<String, String> env = new HashMap<>();
        env.put("POOLS_BASE_URL", sandbox.baseUrl());
        env.put("POOLS_SECRET_KEY", "sk_test_demobank_0000000000000001");
        env.put("POOLS_PUBLISHABLE_KEY", "pk_test_demobank_0000000000000001");
        env.put("POOLS_WEBHOOK_SECRET", "whsec_test_demobank_0000000000000001");
        env.put("BROKER_URL", broker.url());
        env.put("DB_URL", database.jdbcUrl());
        env.put("DB_USER", database.user());
        env.put("HTTP_PORT", "8080");
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
