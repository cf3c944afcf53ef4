package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Terminal-event webhooks (§6, G-10, G-11) received by a tiny local HTTP server. */
class WebhookContractTest extends SandboxTestSupport {
    record Delivery(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private HttpServer receiver;

    @BeforeEach
    void up() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", this::receive);
        receiver.start();
        // fast retries for the test; production default is 1m, 5m, 30m, 2h
        start(SandboxConfig.defaults().with("settings.webhooks.backoff", List.of("PT0.05S")));
        sandbox.setPartnerWebhookUrl("demo-bank", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void down() {
        receiver.stop(0);
    }

    private void receive(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
        received.add(new Delivery(Map.copyOf(ex.getRequestHeaders()), body));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private Delivery next() throws InterruptedException {
        Delivery d = received.poll(5, TimeUnit.SECONDS);
        assertThat(d).as("webhook delivery").isNotNull();
        return d;
    }

    @Test
    void settledEventIsSignedAndShaped() throws Exception {
        String q = firmQuote("100.00");
        String txn = transact(q, "w1").json().get("transactId").asText();
        get("/pools/transactions/" + q, SK);
        get("/pools/transactions/" + q, SK);
        Delivery d = next();
        String sig = d.header("Pools-Signature");
        long t = Long.parseLong(d.header("X-0bit-Timestamp"));
        assertThat(sig).isEqualTo(WebhookSigner.sign("whsec_test_demobank_0000000000000001", t, d.body()));
        assertThat(sig).matches("t=\\d+,v1=[0-9a-f]{64}");
        JsonNode e = JSON.readTree(d.body());
        String eventId = WebhookDispatcher.sha256Hex(txn + ":pool.transaction.settled");
        assertThat(e.get("eventId").asText()).isEqualTo(eventId).matches("[0-9a-f]{64}");
        assertThat(d.header("X-0bit-Event-Id")).isEqualTo(eventId);
        assertThat(d.header("X-0bit-Event-Type")).isEqualTo("pool.transaction.settled");
        assertThat(e.get("type").asText()).isEqualTo("pool.transaction.settled");
        assertThat(e.get("status").asText()).isEqualTo("settled");
        assertThat(e.get("transactId").asText()).isEqualTo(txn);
        assertThat(e.get("fiatAmount").asText()).isEqualTo("100.00");
        assertThat(e.get("occurredAt").asText()).endsWith("Z");
        get("/pools/transactions/" + q, SK);   // terminal re-poll sends nothing new
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void retriesNon2xxUntilDelivered() throws Exception {
        failFirst.set(2);
        String q = firmQuote("100.13");
        transact(q, "w2");
        get("/pools/transactions/" + q, SK);
        get("/pools/transactions/" + q, SK);
        Delivery a = next();
        Delivery b = next();
        Delivery c = next();
        assertThat(List.of(a, b, c)).extracting(d -> d.header("X-0bit-Event-Type")).containsOnly("pool.transaction.failed");
        assertThat(c.body()).isEqualTo(a.body());   // identical bytes on every attempt
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void noWebhookForReturned() throws Exception {
        String q = firmQuote("100.15");
        transact(q, "w3");
        get("/pools/transactions/" + q, SK);
        get("/pools/transactions/" + q, SK);
        assertThat(JSON.readTree(next().body()).get("type").asText()).isEqualTo("pool.transaction.settled");
        clock.advance(Duration.ofSeconds(1));   // returned happens downstream, settings.returned.delay after settled
        assertThat(get("/pools/transactions/" + q, SK).json().get("status").asText()).isEqualTo("returned");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
}
