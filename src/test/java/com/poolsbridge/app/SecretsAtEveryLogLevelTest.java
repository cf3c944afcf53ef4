package com.poolsbridge.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.poolsbridge.sandbox.WebhookSigner;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.LayoutCapture;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets at every log level (issue 9): the bridge started with the root logger at DEBUG and HttpClient's header
 * and wire logs on, an order and a webhook through it, and the log output — as the console layout writes it —
 * holds no key, signing secret or password, the Authorization header included.
 */
class SecretsAtEveryLogLevelTest {

    @Test
    void noSecretReachesTheLogAtDebugWithWireLoggingOn() throws Exception {
        String log;
        try (LayoutCapture capture = LayoutCapture.attach(Map.of("", Level.DEBUG,
                "org.apache.hc.client5.http.wire", Level.DEBUG, "org.apache.hc.client5.http.headers", Level.DEBUG))) {
            try (BridgeHarness harness = BridgeHarness.start(Map.of())) {
                String orderId = Orders.newId("debug-log");
                harness.jms().sendText("pools.orders", Orders.onRamp(orderId, "EUR-USDT", "100.00"));
                Message reply = harness.jms().reply(orderId, 30_000);
                assertThat(JmsClient.text(reply)).contains("\"accepted\"");

                byte[] event = ("{\"eventId\":\"debug-" + orderId + "\",\"type\":\"pool.transaction.settled\"}")
                        .getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(harness.webhookUrl())).header("Content-Type", "application/json")
                        .header("Pools-Signature", WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET,
                                Instant.now().getEpochSecond(), event))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
            }
            log = capture.all();
        }

        // the levels were really on: the Authorization header itself was logged, masked
        assertThat(log).contains("http-outgoing").containsPattern("Authorization: Bearer \\*\\*\\*")
                .contains("DEBUG");
        assertThat(log).doesNotContain(TestInfrastructure.SECRET_KEY).doesNotContain(TestInfrastructure.WEBHOOK_SECRET)
                .doesNotContain(TestInfrastructure.DB_PASSWORD)
                .doesNotContainPattern("\\b(sk|whsec)_(test|live)")
                .doesNotContainPattern("Bearer (?!\\*\\*\\*)\\S");
    }
}
