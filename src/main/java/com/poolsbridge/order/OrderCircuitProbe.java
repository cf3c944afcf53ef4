package com.poolsbridge.order;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.throttling.ThrottlingExceptionHalfOpenHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half-open check of the order circuit breaker (Camel's ThrottlingExceptionRoutePolicy on order-intake):
 * instead of letting a real order find out whether 0Pools and the database are back, which would spend one of
 * its broker delivery attempts on every check of a long outage, route {@code order-circuit-probe} tries a
 * read that orders need anyway. Only when it succeeds does the consumer resume.
 */
public class OrderCircuitProbe implements ThrottlingExceptionHalfOpenHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCircuitProbe.class);

    private final CamelContext context;
    private final String poolId;

    /** @param poolId the pool whose capabilities the probe reads (the first configured one) */
    public OrderCircuitProbe(CamelContext context, String poolId) {
        this.context = context;
        this.poolId = poolId;
    }

    @Override
    public boolean isReadyToBeClosed() {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            Exchange probe = template.send("direct:order-circuit-probe", e -> e.setProperty("poolId", poolId));
            if (probe.getException() != null) {
                LOG.warn("order intake stays paused: 0Pools or the database still failing ({})",
                        probe.getException().getMessage());
                return false;
            }
            LOG.info("order intake resumes: 0Pools and the database answer again");
            return true;
        } catch (Exception e) {
            LOG.warn("order intake stays paused: the probe could not run ({})", e.getMessage());
            return false;
        }
    }
}
