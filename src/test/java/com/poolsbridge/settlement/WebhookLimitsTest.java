package com.poolsbridge.settlement;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.poolsbridge.sandbox.WebhookSigner;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.LayoutCapture;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input limits of POST /webhooks/0pools (issue 9) on the real Vert.x server: body size, read timeout, bounded
 * concurrency, no stack trace or internal message in any answer, and nothing from outside forges a log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookLimitsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BridgeHarness harness;
    private URI url;

    @BeforeAll
    void start() throws Exception {
        harness = BridgeHarness.start(Map.of("camel.server.max-body-size", "4096", "webhooks.max-concurrent", "2",
                "webhooks.read-timeout-ms", "3000"));
        url = URI.create(harness.webhookUrl());
    }

    @AfterAll
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void aBodyOverTheLimitIsAnswered413WhetherItsLengthIsDeclaredOrChunked() throws Exception {
        HttpResponse<String> declared = post(new byte[5000], null);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("{\"error\":\"body_too_large\"}");

        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            out.write(("1388\r\n" + "x".repeat(5000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 413").contains("body_too_large");
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsAnswered408AndItsConnectionClosed() throws Exception {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write((head("Content-Length: 100") + "{\"eventId\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // readAll returns at end of stream: the server closed the connection
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 408").contains("request_timeout");
        }
    }

    @Test
    void pastTheConcurrencyBoundANewDeliveryIsAnswered503UntilASlotFrees() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket socket = open();
                socket.getOutputStream().write((head("Content-Length: 100") + "{").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                held.add(socket);
            }
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> post("{}".getBytes(), null).statusCode() == 503);
            HttpResponse<String> busy = post("{}".getBytes(), null);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.body()).isEqualTo("{\"error\":\"busy\"}");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // closed connections give their slots back: an unsigned delivery is refused on its merits again
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> post("{}".getBytes(), null).statusCode() == 400);
    }

    @Test
    void anInternalFailureIsAGeneric500AndNoAnswerCarriesAStackTrace() throws Exception {
        // a signed delivery the database refuses (transactId longer than its column)
        String event = "{\"eventId\":\"limits-" + System.nanoTime() + "\",\"type\":\"pool.transaction.settled\","
                + "\"transactId\":\"" + "t".repeat(300) + "\"}";
        HttpResponse<String> failed = post(event.getBytes(StandardCharsets.UTF_8),
                WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET, Instant.now().getEpochSecond(),
                        event.getBytes(StandardCharsets.UTF_8)));
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("{\"error\":\"internal_error\"}");

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        for (HttpResponse<String> answer : List.of(failed, get, post(new byte[5000], null), post("{}".getBytes(), "t=1,v1=00"))) {
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContainIgnoringCase("sql")
                    .doesNotContain("org.");
        }
    }

    @Test
    void nothingFromOutsideForgesALogLine() throws Exception {
        String event = "{\"eventId\":\"limits-crlf-" + System.nanoTime() + "\",\"type\":\"pool.x\\r\\nFORGED admin login\"}";
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        String log;
        try (LayoutCapture capture = LayoutCapture.attach(Map.of())) {
            HttpResponse<String> answer = post(body, WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET,
                    Instant.now().getEpochSecond(), body));
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"error\":\"invalid_payload\"}");
            // and whatever a library logs with CR/LF in it stays on its line
            LogManager.getLogger("webhook-limits-test").warn("outside value: {}", "a\r\nFORGED admin login");
            log = capture.all();
        }
        assertThat(log).contains("outside value: a\\r\\nFORGED").doesNotContainPattern("(?m)^FORGED");
    }

    private HttpResponse<String> post(byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Pools-Signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket open() throws Exception {
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private String head(String lengthHeader) {
        return "POST " + url.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + lengthHeader + "\r\n\r\n";
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
