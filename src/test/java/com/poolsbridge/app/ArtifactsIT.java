package com.poolsbridge.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.process.JavaProcess;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after packaging (maven-failsafe, {@code mvn verify}) on the two shaded jars: the production jar holds
 * nothing of the demo, the sandbox or the embedded infrastructure, and still runs the whole order path on its
 * own (so nothing it needs was shaded away); the demo jar carries what the production jar leaves out.
 */
class ArtifactsIT {

    private static final Path PRODUCTION_JAR = Path.of("target", "pools-bridge.jar");
    private static final Path DEMO_JAR = Path.of("target", "pools-bridge-demo.jar");
    /** Demo, sandbox and embedded broker/database classes, the PostgreSQL binaries, and camel-sql (unused). */
    private static final Pattern DEMO_ONLY = Pattern.compile(
            "com/poolsbridge/(demo|sandbox)/.*|com/poolsbridge/infra/Embedded.*|config/sandbox\\.yaml"
                    + "|io/zonky/.*|postgres-linux-.*\\.txz|org/apache/activemq/artemis/core/server/impl/.*"
                    + "|org/apache/activemq/artemis/core/server/embedded/.*|org/apache/camel/component/sql/.*");

    @Test
    void theProductionJarHoldsNoDemoSandboxOrEmbeddedInfrastructure() throws IOException {
        assertThat(entriesMatching(PRODUCTION_JAR, DEMO_ONLY)).isEmpty();
        assertThat(entriesMatching(DEMO_JAR, DEMO_ONLY))
                .contains("com/poolsbridge/demo/DemoMain.class", "com/poolsbridge/sandbox/SandboxMain.class",
                        "com/poolsbridge/infra/EmbeddedBroker.class", "com/poolsbridge/infra/EmbeddedDatabase.class")
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

    @Test
    void theProductionJarAloneTurnsAnOrderIntoATrade() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        int managementPort = ProcessHarness.freePort();
        Path log = Files.createTempFile("pools-bridge-jar", ".log");
        try (PoolsSandbox sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
             JmsClient jms = new JmsClient(infra.broker().url())) {
            Map<String, String> env = infra.environment(sandbox.baseUrl());
            env.put("HTTP_PORT", String.valueOf(ProcessHarness.freePort()));
            env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
            JavaProcess bridge = JavaProcess.start("production-jar", PRODUCTION_JAR, null, List.of(), env, log);
            try {
                bridge.awaitReady(managementPort);

                String orderId = Orders.newId("jar");
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
            } finally {
                assertThat(bridge.stop(Duration.ofSeconds(60))).as("graceful stop on SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).doesNotContain(TestInfrastructure.SECRET_KEY)
                    .doesNotContain(TestInfrastructure.WEBHOOK_SECRET).doesNotContain(TestInfrastructure.DB_PASSWORD)
                    .doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");
        }
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
