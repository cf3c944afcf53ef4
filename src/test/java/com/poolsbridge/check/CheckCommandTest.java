package com.poolsbridge.check;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch readiness check against the sandbox over https, with the bridge running as in production (in this
 * JVM): every step passes on a ready setup, and each gate failure names its step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommandTest {

    private BridgeHarness harness;

    @BeforeAll
    void start() throws Exception {
        harness = BridgeHarness.start(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void everyReadinessStepPassesAndTheEvidencePacketHoldsIdsButNoSecret(@TempDir Path evidence) throws Exception {
        Run run = check(Map.of(), "--evidence", evidence.toString());

        assertThat(run.exit).as(run.output).isZero();
        for (String step : List.of("key-mode", "discovery", "capabilities", "indicative-quote", "firm-quote", "webhook",
                "balance-ledger")) {
            assertThat(run.output).containsPattern("(?m)^" + step + " +PASS ");
        }
        assertThat(run.output).contains("check passed: 7 steps").contains("req_");
        List<Path> files;
        try (Stream<Path> listed = Files.list(evidence)) {
            files = listed.toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString().replaceAll("[0-9TZ]", ""))
                .containsExactlyInAnyOrder("check-.json", "check-.md");
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(text).contains("sandbox").contains("test").contains("pq_")
                    .contains("req_").contains("firm-quote");
            assertNoSecret(text);
        }
        assertNoSecret(run.output);
        // the firm test quote was rejected, never transacted: readiness moves no money
        assertThat(harness.sandbox().journal()).noneMatch(r -> r.pathAndQuery().endsWith("/transact"));
    }

    @Test
    void aControlledOrderRunsEndToEndWithOneTradeForTwoTransacts() throws Exception {
        long tradesBefore = harness.sandbox().tradeCount();

        Run run = check(Map.of(), "--controlled-order", "25.00");

        assertThat(run.exit).as(run.output).isZero();
        for (String step : List.of("controlled-order", "idempotent-transact", "status-terminal", "ledger-row",
                "order-record")) {
            assertThat(run.output).containsPattern("(?m)^" + step + " +PASS ");
        }
        assertThat(harness.sandbox().tradeCount()).isEqualTo(tradesBefore + 1);
        List<RecordedRequest> transacts = harness.sandbox().journal().stream()
                .filter(r -> r.pathAndQuery().endsWith("/transact")).toList();
        assertThat(transacts).hasSize(2);
        assertThat(transacts).extracting(CheckCommandTest::idempotencyKey).doesNotContainNull()
                .containsOnly(idempotencyKey(transacts.get(0)));
        assertNoSecret(run.output);
    }

    @Test
    void aRevokedKeyFailsAtKeyMode() throws Exception {
        harness.sandbox().updatePartner("demo-bank", p -> p.keysRevoked(true));
        try {
            Run run = check(Map.of());

            assertThat(run.exit).isEqualTo(1);
            assertThat(run.output).containsPattern("(?m)^key-mode +FAIL .*401 unauthorized.*revoked")
                    .contains("check failed at step key-mode");
            assertNoSecret(run.output);
        } finally {
            harness.sandbox().updatePartner("demo-bank", p -> p.keysRevoked(false));
        }
    }

    @Test
    void aPoolMissingFromDiscoveryFailsAtDiscovery() throws Exception {
        harness.sandbox().updatePartner("demo-bank", p -> p.allowedPools(List.of("EUR-USDT")));
        try {
            Run run = check(Map.of());

            assertThat(run.exit).isEqualTo(1);
            assertThat(run.output).containsPattern("(?m)^discovery +FAIL .*missing \\[EUR-USDC\\]")
                    .containsPattern("(?m)^key-mode +PASS ")
                    .contains("check failed at step discovery");
        } finally {
            harness.sandbox().updatePartner("demo-bank", p -> p.allowedPools(List.of("EUR-USDT", "EUR-USDC")));
        }
    }

    @Test
    void anUnreachableWebhookEndpointFailsAtWebhookAndNothingElse() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        Run run = check(Map.of("check.webhook-url", "http://127.0.0.1:" + closed + "/webhooks/0pools"));

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.output).containsPattern("(?m)^webhook +FAIL .*unreachable")
                .contains("check failed at step webhook\n");
    }

    @Test
    void pollingOnlyIsAnAcceptedWebhookFallback() throws Exception {
        Run run = check(Map.of("check.webhook-url", "polling"));

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).containsPattern("(?m)^webhook +PASS +no webhook endpoint .*status polling");
    }

    private Run check(Map<String, String> extra, String... args) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("check.quote.dest-address", Orders.TRON_WALLET);
        overrides.put("check.webhook-url", harness.webhookUrl());
        overrides.put("check.order.timeout-ms", "20000");
        overrides.put("check.order.poll-interval-ms", "100");
        overrides.putAll(extra);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestInfrastructure infra;
        try {
            infra = TestInfrastructure.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int exit = CheckCommand.run(args, infra.environment(harness.sandbox().baseUrl()), overrides,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(TestInfrastructure.SECRET_KEY).doesNotContain(TestInfrastructure.WEBHOOK_SECRET)
                .doesNotContain(TestInfrastructure.PUBLISHABLE_KEY).doesNotContain(TestInfrastructure.DB_PASSWORD)
                .doesNotContainPattern("(sk|whsec)_");
    }

    private static String idempotencyKey(RecordedRequest request) {
        return request.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Idempotency-Key"))
                .map(h -> h.getValue().get(0)).findFirst().orElse(null);
    }

    private record Run(int exit, String output) {
    }
}
