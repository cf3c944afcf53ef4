package com.poolsbridge.app;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.poolsbridge.settlement.ClusteredQuartz;
import com.poolsbridge.settlement.DelayedSchedulerStart;
import com.poolsbridge.settlement.SettlementPoller;
import com.poolsbridge.settlement.SettlementSettings;
import com.poolsbridge.settlement.SettlementStore;
import com.poolsbridge.settlement.WebhookReceiver;
import com.poolsbridge.settlement.WebhookServerLimits;
import com.poolsbridge.settlement.WebhookSettlements;
import com.poolsbridge.settlement.WebhookVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.quartz.QuartzComponent;

/**
 * The beans of settlement (routes/settlement-poller.camel.yaml, webhooks.camel.yaml): the poller and the webhook
 * intake on one store, the clustered Quartz component that fires the poller, and the webhook server limits.
 */
public final class SettlementConfiguration implements CamelConfiguration {

    private final BridgeSettings settings;

    @PropertyInject("settlement.start-delay-seconds")
    private int startDelaySeconds;
    @PropertyInject("camel.server.port")
    private int serverPort;
    @PropertyInject("webhooks.max-concurrent")
    private int webhooksMaxConcurrent;
    @PropertyInject("webhooks.read-timeout-ms")
    private long webhooksReadTimeoutMs;

    public SettlementConfiguration(BridgeSettings settings) {
        this.settings = settings;
    }

    /** Holds the settlement.* settings for the poller and the webhook intake (SettlementStore#settings). */
    @BindToRegistry("settlementStore")
    public SettlementStore settlementStore(DataSource dataSource,
                                           @PropertyInject("settlement.batch-size") int batchSize,
                                           @PropertyInject("settlement.initial-delay-ms") long initialDelayMs,
                                           @PropertyInject("settlement.backoff-initial-ms") long backoffInitialMs,
                                           @PropertyInject("settlement.backoff-multiplier") double backoffMultiplier,
                                           @PropertyInject("settlement.backoff-max-ms") long backoffMaxMs,
                                           @PropertyInject("settlement.returned-watch-ms") long returnedWatchMs,
                                           @PropertyInject("settlement.returned-fallback-polls") String fallbackPolls,
                                           @PropertyInject("settlement.stuck-after-ms") long stuckAfterMs,
                                           @PropertyInject("settlement.republish-after-ms") long republishAfterMs,
                                           @PropertyInject("webhooks.retry-after-ms") long webhookRetryAfterMs) {
        return new SettlementStore(dataSource, new SettlementSettings(batchSize, initialDelayMs, backoffInitialMs,
                backoffMultiplier, backoffMaxMs, returnedWatchMs, Arrays.stream(fallbackPolls.split(","))
                        .map(String::trim).filter(d -> !d.isEmpty()).map(Duration::parse).toList(),
                stuckAfterMs, republishAfterMs, webhookRetryAfterMs));
    }

    @BindToRegistry("settlements")
    public SettlementPoller settlements(SettlementStore store, Clock clock, CamelContext context) {
        return new SettlementPoller(store, store.settings(), clock, () -> meterRegistry(context));
    }

    @BindToRegistry("webhookSettlements")
    public WebhookSettlements webhookSettlements(SettlementStore store, Clock clock) {
        return new WebhookSettlements(store, store.settings(), clock);
    }

    /** The signing secret comes from POOLS_WEBHOOK_SECRET only, never from a property. */
    @BindToRegistry("webhookReceiver")
    public WebhookReceiver webhookReceiver(SettlementStore store, Clock clock,
                                           @PropertyInject("webhooks.signature-header") String signatureHeader,
                                           @PropertyInject("webhooks.accepted-signature-headers") String acceptedHeaders,
                                           @PropertyInject("webhooks.signature-scheme") String scheme,
                                           @PropertyInject("webhooks.tolerance-seconds") long toleranceSeconds) {
        Set<String> headers = new LinkedHashSet<>();
        headers.add(signatureHeader);
        headers.addAll(Arrays.stream(acceptedHeaders.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList());
        return new WebhookReceiver(new WebhookVerifier(settings.poolsWebhookSecret(), List.copyOf(headers), scheme,
                toleranceSeconds, clock), store);
    }

    @BindToRegistry("quartz")
    public QuartzComponent quartz(DataSource dataSource,
                                  @PropertyInject("settlement.cluster-name") String clusterName,
                                  @PropertyInject("settlement.cluster-checkin-ms") long checkinMs) {
        return ClusteredQuartz.component(dataSource, clusterName, checkinMs);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new WebhookServerLimits(serverPort, "/webhooks/0pools", webhooksMaxConcurrent,
                webhooksReadTimeoutMs));
        context.addStartupListener(new DelayedSchedulerStart(
                context.getRegistry().lookupByNameAndType("quartz", QuartzComponent.class), startDelaySeconds));
    }

    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : Metrics.globalRegistry;
    }
}
