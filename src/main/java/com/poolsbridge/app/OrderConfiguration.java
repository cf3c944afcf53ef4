package com.poolsbridge.app;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import com.poolsbridge.order.DeadLetters;
import com.poolsbridge.order.MoneyGuardrails;
import com.poolsbridge.order.OrderCircuitBreaker;
import com.poolsbridge.order.OrderCircuitProbe;
import com.poolsbridge.order.OrderClaims;
import com.poolsbridge.order.OrderDeadlines;
import com.poolsbridge.order.OrderOutcomes;
import com.poolsbridge.order.OrderRecords;
import com.poolsbridge.order.OrderRequests;
import com.poolsbridge.order.OrderValidator;
import com.poolsbridge.order.QuotePolicy;
import com.poolsbridge.order.ReplyMarks;
import com.poolsbridge.pools.PoolCapabilities;
import com.poolsbridge.pools.PoolsResponses;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** The beans of order intake (routes/order-intake.camel.yaml, order-failures.camel.yaml, pool-capabilities). */
public final class OrderConfiguration implements CamelConfiguration {

    @BindToRegistry("orderRecords")
    public OrderRecords orderRecords(DataSource dataSource) {
        return new OrderRecords(dataSource);
    }

    @BindToRegistry("orderValidator")
    public OrderValidator orderValidator() {
        return new OrderValidator();
    }

    @BindToRegistry("orderClaims")
    public OrderClaims orderClaims(OrderRecords records, @PropertyInject("orders.lease-ms") long leaseMs) {
        return new OrderClaims(records, leaseMs);
    }

    /** Started and stopped by the context as a service (configure): it writes the last marks after the routes stop. */
    @BindToRegistry("replyMarks")
    public ReplyMarks replyMarks(CamelContext context, OrderRecords records,
                                 @PropertyInject("orders.reply-marks-linger-ms") long lingerMs) {
        return new ReplyMarks(context, records, lingerMs);
    }

    @BindToRegistry("orderDeadlines")
    public OrderDeadlines orderDeadlines(Clock clock, @PropertyInject("orders.max-age-ms") long maxAgeMs) {
        return new OrderDeadlines(clock, Duration.ofMillis(maxAgeMs));
    }

    /**
     * Stops taking orders while 0Pools or the database keeps failing, so orders wait on the queue instead of
     * spending their delivery attempts; {@link OrderCircuitProbe} decides when to take them again.
     */
    @BindToRegistry("orderCircuitBreaker")
    public OrderCircuitBreaker orderCircuitBreaker(
            CamelContext context,
            @PropertyInject("orders.circuit.failure-threshold") int failureThreshold,
            @PropertyInject("orders.circuit.failure-window-ms") long failureWindowMs,
            @PropertyInject("orders.circuit.half-open-after-ms") long halfOpenAfterMs,
            @PropertyInject("orders.circuit.exceptions") String exceptions,
            @PropertyInject("pools.pools") String pools) {
        OrderCircuitBreaker breaker = new OrderCircuitBreaker();
        breaker.setFailureThreshold(failureThreshold);
        breaker.setFailureWindow(failureWindowMs);
        breaker.setHalfOpenAfter(halfOpenAfterMs);
        breaker.setExceptions(exceptions);
        breaker.setHalfOpenHandler(new OrderCircuitProbe(context, pools.split(",")[0].trim()));
        return breaker;
    }

    @BindToRegistry("moneyGuardrails")
    public MoneyGuardrails moneyGuardrails(DataSource dataSource,
                                           @PropertyInject("guardrails.max-order-amount.on-ramp") String maxOnRamp,
                                           @PropertyInject("guardrails.max-order-amount.off-ramp") String maxOffRamp,
                                           @PropertyInject("guardrails.daily-cap.on-ramp") String capOnRamp,
                                           @PropertyInject("guardrails.daily-cap.off-ramp") String capOffRamp) {
        // amounts parsed exactly as written (Camel has no String to BigDecimal converter)
        return new MoneyGuardrails(dataSource,
                Map.of("on_ramp", new BigDecimal(maxOnRamp), "off_ramp", new BigDecimal(maxOffRamp)),
                Map.of("on_ramp", new BigDecimal(capOnRamp), "off_ramp", new BigDecimal(capOffRamp)));
    }

    @BindToRegistry("quotePolicy")
    public QuotePolicy quotePolicy(Clock clock, @PropertyInject("orders.quote-safety-ms") long safetyMs,
                                   @PropertyInject("orders.max-quote-attempts") int maxQuoteAttempts) {
        return new QuotePolicy(clock, safetyMs, maxQuoteAttempts);
    }

    @BindToRegistry("orderRequests")
    public OrderRequests orderRequests() {
        return new OrderRequests();
    }

    @BindToRegistry("orderOutcomes")
    public OrderOutcomes orderOutcomes(OrderRecords records, OrderClaims claims, QuotePolicy quotePolicy, Clock clock) {
        return new OrderOutcomes(records, claims, quotePolicy, clock);
    }

    @BindToRegistry("deadLetters")
    public DeadLetters deadLetters(OrderRecords records) {
        return new DeadLetters(records);
    }

    @BindToRegistry("poolCapabilities")
    public PoolCapabilities poolCapabilities(Clock clock, @PropertyInject("pools.capabilities-ttl-ms") long ttlMs) {
        return new PoolCapabilities(Duration.ofMillis(ttlMs), clock);
    }

    @BindToRegistry("poolsResponses")
    public PoolsResponses poolsResponses(@PropertyInject("retry.rate-limited.max-wait-ms") long maxWaitMs,
                                         @PropertyInject("retry.rate-limited.jitter-ms") long jitterMs) {
        return new PoolsResponses(maxWaitMs, jitterMs);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(context.getRegistry().lookupByNameAndType("replyMarks", ReplyMarks.class), true, true);
    }
}
