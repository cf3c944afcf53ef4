package com.poolsbridge.settlement;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.poolsbridge.settlement.SettlementTestSupport.order;
import static com.poolsbridge.settlement.SettlementTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two pools-bridge instances on one database and broker (as two replicas would be): the clustered Quartz trigger
 * runs each poll cycle on one of them at a time, and every transition still yields exactly one settlement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final Map<String, AtomicInteger> cycles = new ConcurrentHashMap<>();

    private BridgeHarness first;
    private BridgeApplication second;
    private DataSource db;
    private final String clusterName = "test-cluster-" + UUID.randomUUID();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> cluster = new HashMap<>(SettlementTestSupport.fastSettlement());
        cluster.put("settlement.cluster-name", clusterName);   // both instances, one cluster
        first = BridgeHarness.start(cluster);
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.putAll(cluster);
        second = new BridgeApplication(TestInfrastructure.get().settings(first.sandbox().baseUrl()), props);
        CamelContext secondContext = second.start();
        watchCycles("first", first.context());
        watchCycles("second", secondContext);
        db = SettlementTestSupport.dataSource(first.context());
    }

    private void watchCycles(String node, CamelContext context) throws Exception {
        AdviceWith.adviceWith(context, "settlement-cycle", a -> {
            a.weaveAddFirst().process(e -> {
                if (active.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                cycles.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
            });
            a.weaveAddLast().process(e -> active.decrementAndGet());
        });
    }

    @AfterAll
    void stop() throws Exception {
        second.close();
        first.close();
    }

    @Test
    void onePollerAtATimeAndOneSettlementPerTransition() throws Exception {
        String settled = Orders.newId("cl-settled");
        String failed = Orders.newId("cl-failed");
        String returned = Orders.newId("cl-returned");
        first.jms().sendText("pools.orders", Orders.onRamp(settled, "EUR-USDT", "100.00"));
        first.jms().sendText("pools.orders", Orders.onRamp(failed, "EUR-USDT", "100.13"));
        first.jms().sendText("pools.orders", Orders.onRamp(returned, "EUR-USDT", "100.15"));

        assertThat(status(settled)).isEqualTo("settled");
        assertThat(status(failed)).isEqualTo("failed");
        assertThat(status(returned)).isEqualTo("settled");
        assertThat(status(returned)).isEqualTo("returned");
        await().atMost(Duration.ofSeconds(20)).until(() -> order(db, settled).get("next_poll_at") == null
                && order(db, failed).get("next_poll_at") == null && order(db, returned).get("next_poll_at") == null);

        for (String orderId : new String[] {settled, failed, returned}) {
            assertThat(first.jms().drain("pools.settlements", "JMSCorrelationID = '" + orderId + "'")).isEmpty();
        }
        assertThat(overlaps.get()).as("poll cycles running at the same time").isZero();
        assertThat(cycles.values().stream().mapToInt(AtomicInteger::get).sum()).isPositive();
        // both schedulers checked in to the same Quartz cluster
        assertThat(query(db, "SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = ?",
                clusterName)).hasSizeGreaterThanOrEqualTo(2);
    }

    private String status(String orderId) throws Exception {
        Message m = first.jms().receive("pools.settlements", "JMSCorrelationID = '" + orderId + "'", 20_000);
        assertThat(m).as("settlement for " + orderId).isNotNull();
        JsonNode body = JSON.readTree(JmsClient.text(m));
        return body.get("status").asText();
    }
}
