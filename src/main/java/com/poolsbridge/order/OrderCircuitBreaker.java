package com.poolsbridge.order;

import org.apache.camel.Route;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's circuit breaker on order-intake, saying at WARN when it pauses intake. Its own state logging is left at
 * DEBUG: Camel logs the state on every exchange that completes, which at INFO would be one line per order.
 * {@link OrderCircuitProbe} says when intake resumes.
 */
public class OrderCircuitBreaker extends ThrottlingExceptionRoutePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCircuitBreaker.class);

    @Override
    protected void openCircuit(Route route) {
        super.openCircuit(route);
        LOG.warn("order intake paused: {} failures within {} ms; a probe checks every {} ms", getFailures(),
                getFailureWindow(), getHalfOpenAfter());
    }
}
