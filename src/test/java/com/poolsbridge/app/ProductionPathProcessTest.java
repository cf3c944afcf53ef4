package com.poolsbridge.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.process.JavaProcess;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pools-bridge as its own process, configured the way an operator configures production: the secret key from a
 * mounted file, an override file in POOLS_BRIDGE_CONFIG, and an environment variable above both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionPathProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private final String resultsQueue = Orders.newId("results.override");
    private final String fileDeadLetters = Orders.newId("dlq.file");
    private final String envDeadLetters = Orders.newId("dlq.env");
    private PoolsSandbox sandbox;
    private JavaProcess bridge;
    private JmsClient jms;

    @BeforeAll
    void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
        jms = new JmsClient(infra.broker().url());
        Path key = Files.writeString(dir.resolve("pools-secret-key"), TestInfrastructure.SECRET_KEY + "\n");
        Path overrides = Files.writeString(dir.resolve("override.properties"), String.join("\n",
                "queues.results = " + resultsQueue,
                "queues.dead-letter = " + fileDeadLetters,
                ""));
        Map<String, String> env = infra.environment(sandbox.baseUrl());
        env.remove("POOLS_SECRET_KEY");
        env.put("POOLS_SECRET_KEY_FILE", key.toString());
        env.put("POOLS_BRIDGE_CONFIG", overrides.toString());
        env.put("QUEUES_DEAD_LETTER", envDeadLetters);
        int managementPort = ProcessHarness.freePort();
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        bridge = JavaProcess.start("bridge", ProcessHarness.bridgeJar(), "com.poolsbridge.PoolsBridge", List.of(), env,
                dir.resolve("bridge.log"));
        bridge.awaitReady(managementPort);
    }

    @AfterAll
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
        jms.close();
    }

    @Test
    void theOverrideFileMovesRepliesAndTheKeyFromAFileAuthenticatesEveryCall() throws Exception {
        String id = Orders.newId("proc-ok");
        jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "120.00"));

        Message reply = jms.receive(resultsQueue, "JMSCorrelationID = '" + id + "'", 60_000);
        assertThat(reply).as("reply on the queue named by the override file").isNotNull();
        assertThat(JSON.readTree(JmsClient.text(reply)).get("outcome").asText()).isEqualTo("accepted");
        assertThat(jms.receive("pools.orders.results", "JMSCorrelationID = '" + id + "'", 500)).isNull();

        List<RecordedRequest> calls = sandbox.journal();
        assertThat(calls).extracting(r -> r.method() + " " + r.pathAndQuery())
                .anyMatch(call -> call.contains("/quote")).anyMatch(call -> call.contains("/transact"));
        // the sandbox journal masks the key; it answers 401 to any other key than the one in the file
        assertThat(calls).allSatisfy(r -> {
            assertThat(r.header("Authorization")).startsWith("Bearer sk_test_");
            assertThat(r.status()).isNotEqualTo(401);
        });
        assertThat(Files.readString(bridge.log())).doesNotContain(TestInfrastructure.SECRET_KEY)
                .doesNotContain(TestInfrastructure.WEBHOOK_SECRET).doesNotContain(TestInfrastructure.DB_PASSWORD);
    }

    @Test
    void anEnvironmentVariableOverridesTheOverrideFile() throws Exception {
        String garbage = "not json " + Orders.newId("proc-bad");
        jms.sendText("pools.orders", garbage);

        Message deadLetter = jms.receive(envDeadLetters, null, 60_000);
        assertThat(deadLetter).as("dead letter on the queue named by QUEUES_DEAD_LETTER").isNotNull();
        assertThat(JmsClient.text(deadLetter)).isEqualTo(garbage);
        assertThat(jms.drain(fileDeadLetters, null)).isEmpty();
    }
}
