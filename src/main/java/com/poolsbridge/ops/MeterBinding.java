package com.poolsbridge.ops;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.PoolingHttpClientConnectionManagerMetricsBinder;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

/**
 * Binds the business and call metrics, the database pool and the 0Pools client's connection pool to
 * camel-micrometer's registry, which exists only once Camel has started.
 */
public final class MeterBinding implements StartupListener {

    private final BusinessMetrics business;
    private final CallMetrics calls;
    private final DataSource dataSource;

    public MeterBinding(BusinessMetrics business, CallMetrics calls, DataSource dataSource) {
        this.business = business;
        this.calls = calls;
        this.dataSource = dataSource;
    }

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
}
