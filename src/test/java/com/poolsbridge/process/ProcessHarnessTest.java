package com.poolsbridge.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.poolsbridge.support.Orders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The short, CI version of the fault suite: the harness itself works (broker and app as separate processes, the
 * database restartable, the proxy passes, freezes and resets) and a clean backlog through the separate app
 * process passes the checker. The scenarios with faults run under {@code -Pfaults} ({@link FaultScenarios}).
 */
class ProcessHarnessTest {

    private static ProcessHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = ProcessHarness.start(ProcessHarness.BrokerProfile.RECOMMENDED);
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void proxyPassesFreezesAndResets() throws Exception {
        TcpProxy proxy = harness.poolsProxy();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest pools = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/pools"))
                .timeout(Duration.ofSeconds(1)).build();
        assertThat(http.send(pools, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        proxy.freeze();
        assertThatThrownBy(() -> http.send(pools, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(proxy.openConnections()).as("a frozen connection stays open").isPositive();
        proxy.pass();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.getOutputStream().write("GET /v1/pools HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("first byte of the answer").isPositive();
            proxy.reset();
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // drain until the reset arrives
                }
                throw new IOException("closed without reset");
            }).isInstanceOf(IOException.class).hasMessageContaining("reset");
        }
        assertThat(http.send(pools, HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("new connections after a reset").isEqualTo(401);
    }

    @Test
    void databaseRestartsOnItsData() throws Exception {
        long before = harness.queryLong("SELECT 7");
        harness.database().stopImmediate();
        assertThat(ProcessHarness.isClosed(harness.database().port())).isTrue();
        harness.database().restart();
        assertThat(harness.queryLong("SELECT 7")).isEqualTo(before);
    }

    @Test
    void cleanBacklogThroughTheAppProcessPassesTheChecker() throws Exception {
        Instant start = Instant.now();
        harness.startApp();
        assertThat(harness.apps().get(0).pid()).isNotEqualTo(ProcessHandle.current().pid());
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = Orders.newId("selftest");
            ids.add(id);
            bodies.add(Orders.onRamp(id, "EUR-USDT", (100 + i) + ".00"));
        }
        harness.send(bodies);
        harness.awaitOutcomes(ids, Duration.ofMinutes(2));
        Checker.Verdict verdict = harness.check(ids);
        String line = verdict.line("self-test: clean backlog of 20", Duration.between(start, Instant.now()));
        System.out.println(line);
        assertThat(verdict.problems()).as(line).isEmpty();
        assertThat(verdict.trades()).isEqualTo(20);
        assertThat(verdict.replies()).isEqualTo(20);
    }
}
