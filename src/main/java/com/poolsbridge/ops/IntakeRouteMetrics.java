package com.poolsbridge.ops;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Camel's route metrics (camel_exchanges_* and the route timer, by routeId) for the routes that take work in: a
 * queue, a schedule, an HTTP request. A {@code direct:} sub-route gets none: its time and its failures are inside
 * the caller's figures, its 0Pools calls are timed by operation ({@link CallMetrics}), and the policy's work at
 * every route an exchange enters (a timer started under a String.format-built property name, counters on the way
 * out) was 4.5 % of the order consumers' CPU for a dozen sub-routes per order that no dashboard or alert reads.
 */
public final class IntakeRouteMetrics implements RoutePolicyFactory {

    private final MicrometerRoutePolicyFactory metrics = new MicrometerRoutePolicyFactory();

    public IntakeRouteMetrics(MeterRegistry registry) {
        MicrometerRoutePolicyConfiguration byRoute = new MicrometerRoutePolicyConfiguration();
        byRoute.setContextEnabled(false);
        metrics.setPolicyConfiguration(byRoute);
        metrics.setMeterRegistry(registry);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (route instanceof RouteDefinition definition && definition.getInput() != null
                && definition.getInput().getEndpointUri().startsWith("direct:")) {
            return null;
        }
        return metrics.createRoutePolicy(camelContext, routeId, route);
    }
}
