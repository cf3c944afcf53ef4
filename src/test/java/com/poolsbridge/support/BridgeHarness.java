package com.poolsbridge.support;

import java.util.Map;

import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.SandboxConfig;
import org.apache.camel.CamelContext;

/**
 * The whole system on loopback: the embedded broker and database of {@link TestInfrastructure}, a fresh 0Pools
 * sandbox that knows the planted test key, and pools-bridge itself started exactly as production starts it.
 */
public final class BridgeHarness implements AutoCloseable {

    private final PoolsSandbox sandbox;
    private final BridgeApplication app;
    private final CamelContext context;
    private final JmsClient jms;

    private BridgeHarness(PoolsSandbox sandbox, BridgeApplication app, CamelContext context, JmsClient jms) {
        this.sandbox = sandbox;
        this.app = app;
        this.context = context;
        this.jms = jms;
    }

    public static BridgeHarness start(Map<String, String> overrides) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        PoolsSandbox sandbox = PoolsSandbox.startTls(sandboxConfig(), 0);
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.putAll(overrides);
        BridgeApplication app = new BridgeApplication(infra.settings(sandbox.baseUrl()), props);
        CamelContext context = app.start();
        return new BridgeHarness(sandbox, app, context, new JmsClient(infra.broker().url()));
    }

    /**
     * The sandbox's demo-bank partner, holding the planted keys the bridge is configured with. Its throttle
     * is off and its tiers wide: the X-RateLimit-Remaining headers it still sends would otherwise pace (through
     * the partner budget) tests that are not about rate limits; those that are set the tiers they test.
     */
    public static SandboxConfig sandboxConfig() {
        return SandboxConfig.defaults()
                .with("partners.0.secretKey", TestInfrastructure.SECRET_KEY)
                .with("partners.0.publishableKey", TestInfrastructure.PUBLISHABLE_KEY)
                .with("partners.0.webhookSecret", TestInfrastructure.WEBHOOK_SECRET)
                .with("settings.rateLimits.short.limit", 1_000_000)
                .with("settings.rateLimits.medium.limit", 1_000_000)
                .with("settings.rateLimits.long.limit", 1_000_000);
    }

    public PoolsSandbox sandbox() {
        return sandbox;
    }

    public CamelContext context() {
        return context;
    }

    /** The bridge's webhook endpoint. */
    public String webhookUrl() {
        return webhookUrl(context);
    }

    /** The webhook endpoint of a bridge started from {@link TestInfrastructure#settings}: its free HTTP_PORT. */
    public static String webhookUrl(CamelContext context) {
        return "http://127.0.0.1:" + context.getPropertiesComponent().resolveProperty("camel.server.port").orElseThrow()
                + "/webhooks/0pools";
    }

    public JmsClient jms() {
        return jms;
    }

    @Override
    public void close() throws Exception {
        app.close();
        sandbox.close();
        jms.close();
    }
}
