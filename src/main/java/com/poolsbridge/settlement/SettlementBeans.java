package com.poolsbridge.settlement;

import static com.poolsbridge.app.ConfigProperties.required;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.poolsbridge.app.BridgeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.quartz.Scheduler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds and binds the settlement beans (poller, webhook intake, the clustered Quartz component).
 *
 * <p>Single poller across replicas: the settlement-poller route is triggered by camel-quartz with Quartz's
 * clustered JDBC job store on the bridge's own PostgreSQL (tables from V3__quartz.sql). Every replica runs a
 * scheduler, but a trigger firing is acquired under a row lock by exactly one node, the job is
 * {@code @DisallowConcurrentExecution} (stateful=true), and a crashed node's firing is recovered by the others after
 * the cluster check-in interval. Chosen over Camel's master component because that needs a CamelClusterService
 * (Kubernetes leases, ZooKeeper, Consul, JGroups, file lock …) the deployment does not have; the database is already
 * the shared, highly available state, so leadership costs no new infrastructure. The due-trade queries and the
 * settlement_event primary key keep a second concurrent poller harmless anyway (one message per transition).
 */
public final class SettlementBeans {

    private SettlementBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, DataSource dataSource, Clock clock,
                            BridgeSettings settings) {
        try {
            bindAll(context, props, dataSource, clock, settings);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up settlement", e);
        }
    }

    private static void bindAll(CamelContext context, PropertiesComponent props, DataSource dataSource, Clock clock,
                                BridgeSettings settings) throws Exception {
        SettlementSettings s = new SettlementSettings(
                Integer.parseInt(required(props, "settlement.batch-size")),
                Long.parseLong(required(props, "settlement.initial-delay-ms")),
                Long.parseLong(required(props, "settlement.backoff-initial-ms")),
                Double.parseDouble(required(props, "settlement.backoff-multiplier")),
                Long.parseLong(required(props, "settlement.backoff-max-ms")),
                Long.parseLong(required(props, "settlement.returned-watch-ms")),
                Arrays.stream(props.resolveProperty("settlement.returned-fallback-polls").orElse("").split(","))
                        .map(String::trim).filter(d -> !d.isEmpty()).map(Duration::parse).toList(),
                Long.parseLong(required(props, "settlement.stuck-after-ms")),
                Long.parseLong(required(props, "settlement.republish-after-ms")),
                Long.parseLong(required(props, "webhooks.retry-after-ms")));
        SettlementStore store = new SettlementStore(dataSource, s);
        SettlementPoller poller = new SettlementPoller(store, s, clock, () -> meterRegistry(context));
        Set<String> headers = new LinkedHashSet<>();
        headers.add(required(props, "webhooks.signature-header"));
        headers.addAll(Arrays.stream(required(props, "webhooks.accepted-signature-headers").split(","))
                .map(String::trim).filter(h -> !h.isEmpty()).toList());
        WebhookVerifier verifier = new WebhookVerifier(settings.poolsWebhookSecret(), List.copyOf(headers),
                required(props, "webhooks.signature-scheme"),
                Long.parseLong(required(props, "webhooks.tolerance-seconds")), clock);
        context.getRegistry().bind("settlementStore", store);
        context.getRegistry().bind("settlements", poller);
        context.getRegistry().bind("webhookSettlements", new WebhookSettlements(store, s, clock));
        context.getRegistry().bind("webhookReceiver", new WebhookReceiver(verifier, store));
        context.addStartupListener(new WebhookServerLimits(
                Integer.parseInt(required(props, "camel.server.port")), "/webhooks/0pools",
                Integer.parseInt(required(props, "webhooks.max-concurrent")), Long.parseLong(required(props, "webhooks.read-timeout-ms"))));
        context.getRegistry().bind("quartz", quartz(context, props, dataSource));
    }

    private static QuartzComponent quartz(CamelContext context, PropertiesComponent props, DataSource dataSource) throws Exception {
        // Quartz finds its connections by name in a JVM-wide manager: one unique name per application instance
        String local = "pools-bridge-" + UUID.randomUUID().toString().substring(0, 8);
        DBConnectionManager.getInstance().addConnectionProvider(local, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to BridgeApplication
            }

            @Override
            public void initialize() {
                // nothing to set up
            }
        });
        Properties q = new Properties();
        q.setProperty("org.quartz.scheduler.instanceName", local);
        q.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        q.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        q.setProperty("org.quartz.threadPool.threadCount", "1");
        q.setProperty("org.quartz.jobStore.class", ClusteredJobStore.class.getName());
        q.setProperty("org.quartz.jobStore.clusterName", required(props, "settlement.cluster-name"));
        q.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        q.setProperty("org.quartz.jobStore.dataSource", local);
        q.setProperty("org.quartz.jobStore.isClustered", "true");
        q.setProperty("org.quartz.jobStore.clusterCheckinInterval", required(props, "settlement.cluster-checkin-ms"));
        q.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        q.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(q);
        quartz.setPrefixInstanceName(false);
        quartz.setEnableJmx(false);
        quartz.setInterruptJobsOnShutdown(false);
        // started by us once Camel is fully up, after settlement.start-delay-seconds (Quartz startDelayed)
        quartz.setAutoStartScheduler(false);
        int delay = Integer.parseInt(required(props, "settlement.start-delay-seconds"));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext camelContext, boolean alreadyStarted) {
                // the component creates its scheduler and adds the jobs in this phase
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext camelContext, boolean alreadyStarted) throws Exception {
                Scheduler scheduler = quartz.getScheduler();
                if (scheduler != null && !scheduler.isStarted()) {
                    scheduler.startDelayed(delay);
                }
            }
        });
        return quartz;
    }

    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return registry != null ? registry : Metrics.globalRegistry;
    }
}
