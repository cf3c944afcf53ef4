package com.poolsbridge.ops;

import static com.poolsbridge.app.ConfigProperties.required;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.poolsbridge.app.BridgeSettings;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.PoolingHttpClientConnectionManagerMetricsBinder;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

/**
 * What an operator sees, wired in one place: readiness checks, business and call metrics (with the database
 * pool and HTTP client pool binders), and the logging context. Meters are bound once Camel has started, when
 * camel-micrometer's registry exists.
 */
public final class Operations {

    private Operations() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, DataSource dataSource,
                            BridgeSettings settings, Clock clock) {
        long timeout = Long.parseLong(required(props, "health.timeout-ms"));
        // fresh connections for probes and DLQ browsing, failing fast instead of retrying
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(settings.brokerUrl(), settings.brokerUser(),
                settings.brokerPassword());
        broker.setCallTimeout(timeout);
        broker.setInitialConnectAttempts(1);
        broker.setReconnectAttempts(0);
        for (ReadinessCheck check : ReadinessChecks.of(context, dataSource, broker, timeout)) {
            context.getRegistry().bind("readiness-" + check.getId(), check);
        }

        DeadLetterQueues deadLetters = new DeadLetterQueues(broker,
                List.of(required(props, "queues.dead-letter"), required(props, "queues.broker-dead-letter")));
        BusinessMetrics business = new BusinessMetrics(dataSource, deadLetters, clock,
                Duration.ofMillis(Long.parseLong(required(props, "settlement.stuck-after-ms"))),
                Duration.ofMillis(Long.parseLong(required(props, "metrics.settlement-lag-window-ms"))));
        context.getRegistry().bind("businessMetrics", business);
        CallMetrics calls = new CallMetrics();
        context.getManagementStrategy().addEventNotifier(calls);
        context.getCamelContextExtension().addInterceptStrategy(new LogContext());
        context.getManagementStrategy().addEventNotifier(new LogContext.Cleanup());

        try {
            context.addStartupListener(meterBinding(business, calls, dataSource));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StartupListener meterBinding(BusinessMetrics business, CallMetrics calls, DataSource dataSource) {
        return new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
                // routes may not be started yet: meters are bound in onCamelContextFullyStarted
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext camel, boolean alreadyStarted) {
                MeterRegistry registry = camel.getRegistry().findSingleByType(MeterRegistry.class);
                if (registry == null) {
                    return;
                }
                business.bindTo(registry);
                calls.bindTo(registry);
                if (dataSource instanceof HikariDataSource hikari && hikari.getMetricsTrackerFactory() == null) {
                    hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
                }
                // the 0Pools client's connection pool (camel-http keeps one per endpoint)
                for (var endpoint : camel.getEndpoints()) {
                    if (endpoint instanceof HttpEndpoint http
                            && http.getClientConnectionManager() instanceof PoolingHttpClientConnectionManager pool) {
                        new PoolingHttpClientConnectionManagerMetricsBinder(pool, "pools-api").bindTo(registry);
                    }
                }
            }
        };
    }
}
