package com.poolsbridge.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.poolsbridge.ops.BusinessMetrics;
import com.poolsbridge.ops.CallMetrics;
import com.poolsbridge.ops.DeadLetterQueues;
import com.poolsbridge.ops.IntakeRouteMetrics;
import com.poolsbridge.ops.LogContext;
import com.poolsbridge.ops.MeterBinding;
import com.poolsbridge.ops.ReadinessCheck;
import com.poolsbridge.ops.ReadinessChecks;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * What an operator sees: readiness checks, business and call metrics (with the database pool and HTTP client
 * pool binders), and the logging context.
 */
public final class OperationsConfiguration implements CamelConfiguration {

    private final BridgeSettings settings;

    @PropertyInject("health.timeout-ms")
    private long healthTimeoutMs;

    @PropertyInject(value = "camel.metrics.enabled", defaultValue = "false")
    private boolean metricsEnabled;

    public OperationsConfiguration(BridgeSettings settings) {
        this.settings = settings;
    }

    @BindToRegistry("readiness-database")
    public ReadinessCheck databaseReadiness(DataSource dataSource) {
        return ReadinessChecks.database(dataSource, healthTimeoutMs);
    }

    @BindToRegistry("readiness-broker")
    public ReadinessCheck brokerReadiness() {
        return ReadinessChecks.broker(freshBrokerConnections(), healthTimeoutMs);
    }

    @BindToRegistry("readiness-routes")
    public ReadinessCheck routesReadiness(CamelContext context) {
        return ReadinessChecks.routes(context, healthTimeoutMs);
    }

    @BindToRegistry("businessMetrics")
    public BusinessMetrics businessMetrics(DataSource dataSource, Clock clock,
                                           @PropertyInject("queues.dead-letter") String deadLetterQueue,
                                           @PropertyInject("queues.broker-dead-letter") String brokerDeadLetterQueue,
                                           @PropertyInject("settlement.stuck-after-ms") long stuckAfterMs,
                                           @PropertyInject("metrics.settlement-lag-window-ms") long lagWindowMs) {
        return new BusinessMetrics(dataSource,
                new DeadLetterQueues(freshBrokerConnections(), List.of(deadLetterQueue, brokerDeadLetterQueue)),
                clock, Duration.ofMillis(stuckAfterMs), Duration.ofMillis(lagWindowMs));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        CallMetrics calls = new CallMetrics();
        context.getManagementStrategy().addEventNotifier(calls);
        context.getCamelContextExtension().addInterceptStrategy(new LogContext());
        context.getManagementStrategy().addEventNotifier(new LogContext.Cleanup());
        if (metricsEnabled) {
            // the registry camel-micrometer-prometheus serves (it takes one bound under this name), so the route
            // metrics of the routes that take work in can be registered here (camel.metrics.enable-route-policy is off)
            PrometheusMeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry",
                    PrometheusMeterRegistry.class);
            if (registry == null) {
                registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                context.getRegistry().bind("metricsRegistry", registry);
            }
            context.addRoutePolicyFactory(new IntakeRouteMetrics(registry));
        }
        context.addStartupListener(new MeterBinding(
                context.getRegistry().lookupByNameAndType("businessMetrics", BusinessMetrics.class), calls,
                context.getRegistry().lookupByNameAndType("dataSource", DataSource.class)));
    }

    /** Fresh connections for probes and DLQ browsing, failing fast instead of retrying (not the pool). */
    private ActiveMQConnectionFactory freshBrokerConnections() {
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(settings.brokerUrl(), settings.brokerUser(),
                settings.brokerPassword());
        broker.setCallTimeout(healthTimeoutMs);
        broker.setInitialConnectAttempts(1);
        broker.setReconnectAttempts(0);
        return broker;
    }
}
