package com.poolsbridge.app;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.ops.Scrape;
import com.poolsbridge.support.MonitoringMetrics;
import com.poolsbridge.process.JavaProcess;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs after packaging (maven-failsafe, {@code mvn verify}) on the two shaded jars: the production jar holds
 * nothing of the demo, the sandbox or the embedded infrastructure, and still runs the whole order path on its
 * own (so nothing it needs was shaded away); the demo jar carries what the production jar leaves out.
 */
class ArtifactsIT {

    private static final Path PRODUCTION_JAR = Path.of("target", "pools-bridge.jar");
    private static final Path DEMO_JAR = Path.of("target", "pools-bridge-demo.jar");
    /** Demo, sandbox and embedded broker/database classes and settings, the PostgreSQL binaries, camel-sql (unused). */
    private static final Pattern DEMO_ONLY = Pattern.compile(
            "com/poolsbridge/(demo|sandbox)/.*|com/poolsbridge/infra/Embedded.*"
                    + "|config/(sandbox\\.yaml|demo\\.properties)|io/zonky/.*|postgres-linux-.*\\.txz"
                    + "|org/apache/activemq/artemis/core/server/impl/.*"
                    + "|org/apache/activemq/artemis/core/server/embedded/.*|org/apache/camel/component/sql/.*");

    @Test
    void theProductionJarHoldsNoDemoSandboxOrEmbeddedInfrastructure() throws IOException {
        assertThat(entriesMatching(PRODUCTION_JAR, DEMO_ONLY)).isEmpty();
        assertThat(entriesMatching(DEMO_JAR, DEMO_ONLY))
                .contains("com/poolsbridge/demo/DemoMain.class", "com/poolsbridge/sandbox/SandboxMain.class",
                        "com/poolsbridge/infra/EmbeddedBroker.class", "com/poolsbridge/infra/EmbeddedDatabase.class",
                        "config/demo.properties")
                .anyMatch(name -> name.startsWith("io/zonky/"))
                .anyMatch(name -> name.startsWith("org/apache/activemq/artemis/core/server/impl/"));
    }

    @Test
    void theProductionJarOffersNoDemoMode() throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", PRODUCTION_JAR.toString(), "demo")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(64);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("usage");
    }

    /**
     * The production jar on its own turns an order into a trade, in either log format (LOG_FORMAT unset: plain
     * lines; json: one JSON object per line whose context names the order, its trade, the route and the 0Pools
     * X-Request-Id), and then exports every metric the alerts and the dashboard of k8s/monitoring use.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "json"})
    void theProductionJarAloneTurnsAnOrderIntoATrade(String logFormat) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        int managementPort = ProcessHarness.freePort();
        int httpPort = ProcessHarness.freePort();
        Path log = Files.createTempFile("pools-bridge-jar", ".log");
        String orderId = Orders.newId("jar");
        try (PoolsSandbox sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
             JmsClient jms = new JmsClient(infra.broker().url())) {
            Map<String, String> env = infra.environment(sandbox.baseUrl());
            env.put("HTTP_PORT", String.valueOf(httpPort));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("METRICS_REFRESH_MS", "500");
            if (!logFormat.isEmpty()) {
                env.put("LOG_FORMAT", logFormat);
            }
            JavaProcess bridge = JavaProcess.start("production-jar", PRODUCTION_JAR, null, List.of(), env, log);
            try {
                bridge.awaitReady(managementPort);

                // the first quote meets a 429, so the rate-limit figures have something to show
                sandbox.faults().rateLimitBurst("createQuote", 1, 1);
                jms.sendText("pools.orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));
                Message reply = jms.reply(orderId, 60_000);
                assertThat(reply).as("reply from the production jar").isNotNull();
                assertThat(new ObjectMapper().readTree(JmsClient.text(reply)).get("outcome").asText()).isEqualTo("accepted");
                // over https, every call carried the key (the sandbox journal records its presence, never its value)
                assertThat(sandbox.journal()).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.scheme()).isEqualTo("https");
                    assertThat(r.authorizationPresent()).isTrue();
                    assertThat(r.status()).isNotEqualTo(401);
                });
                // an unsigned webhook is refused and counted
                HttpClient http = HttpClient.newHttpClient();
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/0pools"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()).isBetween(400, 499);

                Set<String> used = MonitoringMetrics.used();
                await("metrics used by k8s/monitoring").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                            + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(Scrape.names(scrape)).containsAll(used);
                    assertThat(Scrape.parse(scrape).get("pools_bridge_orders_total{code=\"none\",outcome=\"accepted\"}"))
                            .isGreaterThanOrEqualTo(1);
                });
            } finally {
                assertThat(bridge.stop(Duration.ofSeconds(60))).as("graceful stop on SIGTERM").isTrue();
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(String.join("\n", lines)).doesNotContain(TestInfrastructure.SECRET_KEY)
                    .doesNotContain(TestInfrastructure.WEBHOOK_SECRET).doesNotContain(TestInfrastructure.DB_PASSWORD)
                    .doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");
            String accepted = lines.stream().filter(line -> line.contains("order " + orderId + " accepted")).findFirst()
                    .orElseThrow(() -> new AssertionError("no accepted line in " + log));
            if (logFormat.isEmpty()) {
                assertThat(accepted).matches("^\\d{4}-\\d{2}-\\d{2}.* INFO .*order-accept.*");
                assertThat(lines).noneMatch(line -> line.startsWith("{"));
            } else {
                ObjectMapper json = new ObjectMapper();
                for (String line : lines) {
                    assertThat(json.readTree(line).path("level").asText()).as(line).isNotEmpty();
                }
                JsonNode context = json.readTree(accepted).path("context");
                assertThat(context.path("orderId").asText()).isEqualTo(orderId);
                assertThat(context.path("transactId").asText()).isNotBlank();
                assertThat(context.path("requestId").asText()).startsWith("req_");
                assertThat(context.path("camel.routeId").asText()).isEqualTo("order-accept");
            }
        }
    }

    @Test
    void theProductionJarListsDeadLetters() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> env = infra.environment("https://127.0.0.1:1/v1");
        ProcessBuilder replay = new ProcessBuilder(java(), "-jar", PRODUCTION_JAR.toString(), "replay").redirectErrorStream(true);
        replay.environment().putAll(env);
        Process process = replay.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("QUEUE").contains("dead letter(s)").doesNotContain(TestInfrastructure.DB_PASSWORD);
    }

    private static List<String> entriesMatching(Path jar, Pattern pattern) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(entry -> entry.getName()).filter(name -> pattern.matcher(name).matches()).toList();
        }
    }

    private static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
