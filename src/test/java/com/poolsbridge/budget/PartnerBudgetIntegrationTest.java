package com.poolsbridge.budget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.process.PartnerCallAudit;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.sandbox.SandboxConfig;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two bridge instances on one database and broker, each believing it is alone, against one 0Pools sandbox with
 * its per-IP rate limits on: a backlog of orders ends all accepted and the sandbox answers no call with 429.
 * The tiers are the documented ones divided by {@code -Dbudget.it.scale} (default 10: short 10/1 s, medium
 * 60/6 s, long 300/360 s, so CI stays short); {@code -Dbudget.it.scale=1 -Dbudget.it.margin-ms=500} runs the
 * documented tiers themselves with the packaged margin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerBudgetIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ORDERS = Integer.getInteger("budget.it.orders", 30);
    private static final int SCALE = Integer.getInteger("budget.it.scale", 10);

    private PoolsSandbox sandbox;
    private BridgeApplication first;
    private BridgeApplication second;
    private JmsClient jms;

    @BeforeAll
    void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        SandboxConfig.RateLimits documented = SandboxConfig.RateLimits.documented(true);
        sandbox = PoolsSandbox.startTls(BridgeHarness.sandboxConfig(), 0);
        sandbox.setRateLimits(new SandboxConfig.RateLimits(true, scaled(documented.shortTier()),
                scaled(documented.medium()), scaled(documented.longTier()), null));
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("orders.consumers", "4");
        props.put("pools.budget.name", "it-" + UUID.randomUUID());
        props.put("pools.budget.tiers", "short=%s,medium=%s,long=%s".formatted(tier(sandbox.rateLimits().shortTier()),
                tier(sandbox.rateLimits().medium()), tier(sandbox.rateLimits().longTier())));
        props.put("pools.budget.margin-ms", System.getProperty("budget.it.margin-ms", "250"));
        props.put("pools.budget.recheck-max-ms", "200");
        props.put("pools.budget.jitter-ms", "50");
        // every consumer takes one order at a time, so both instances share the backlog
        Map<String, String> env = new HashMap<>(infra.environment(sandbox.baseUrl()));
        env.put("BROKER_URL", infra.broker().url() + "?consumerWindowSize=0");
        first = new BridgeApplication(BridgeSettings.fromEnvironment(env), props);
        first.start();
        second = new BridgeApplication(BridgeSettings.fromEnvironment(env), props);
        second.start();
        jms = new JmsClient(infra.broker().url());
    }

    @AfterAll
    void stop() throws Exception {
        second.close();
        first.close();
        sandbox.close();
        jms.close();
    }

    @Test
    void aBacklogOfOrdersEndsAllAcceptedWithoutA429() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String id = Orders.newId("budget-it");
            ids.add(id);
            jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", "100." + (10 + i)));
        }
        long replyWait = 40_000L * 10 / SCALE;
        for (String id : ids) {
            Message reply = jms.reply(id, replyWait);
            assertThat(reply).as("reply for " + id).isNotNull();
            JsonNode body = JSON.readTree(JmsClient.text(reply));
            assertThat(body.get("outcome").asText()).as(body.toString()).isEqualTo("accepted");
        }

        List<RecordedRequest> calls = sandbox.journal();
        assertThat(calls).extracting(RecordedRequest::status).doesNotContain(429);
        assertThat(calls.stream().filter(c -> c.pathAndQuery().endsWith("/transact")).count()).isEqualTo(ORDERS);
        assertThat(new PartnerCallAudit(calls).busiest(Duration.ofSeconds(documentedShortWindow()))).isLessThanOrEqualTo(10);
        // both instances spent from the one budget
        assertThat(granted(first)).isPositive();
        assertThat(granted(second)).isPositive();
    }

    private static long granted(BridgeApplication app) {
        return app.camelContext().getRegistry().lookupByNameAndType("partnerBudgetStats", BudgetStats.class)
                .getGranted().values().stream().mapToLong(Long::longValue).sum();
    }

    private static long documentedShortWindow() {
        return SandboxConfig.RateLimits.documented(true).shortTier().windowSeconds() / SCALE;
    }

    private static SandboxConfig.Tier scaled(SandboxConfig.Tier tier) {
        return new SandboxConfig.Tier(tier.limit(), tier.windowSeconds() / SCALE);
    }

    private static String tier(SandboxConfig.Tier tier) {
        return tier.limit() + "/" + tier.windowSeconds() + "s";
    }
}
