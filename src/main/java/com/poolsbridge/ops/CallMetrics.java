package com.poolsbridge.ops;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.poolsbridge.pools.PoolsRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpEndpoint;

/**
 * Counts what passes through the bridge without touching a route: every 0Pools HTTP call (the exchange sent
 * to the http(s) endpoint of route pools-api, whose operation is exchange property poolsRequest) by operation
 * and status with its latency, the 429s, the partner budget left (X-RateLimit-Remaining-short of the last
 * answer), and every webhook request by the HTTP status it was answered with.
 */
public final class CallMetrics extends ExchangeEventNotifier {

    private static final String WEBHOOK_ROUTE = "webhook-intake";
    private final AtomicLong rateRemaining = new AtomicLong(-1);
    private volatile MeterRegistry registry;

    public CallMetrics() {
        // Camel raises ExchangeSent only for a send whose ExchangeSending some notifier took (SendProcessor times it
        // from there): take the sending event of the 0Pools calls, not rely on another notifier taking it
        setIgnoreExchangeSendingEvents(false);
    }

    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        // -1 until the first answer that carried the header
        Gauge.builder("pools.bridge.pools.rate.limit.remaining", rateRemaining, AtomicLong::get)
                .description("X-RateLimit-Remaining-short of the last 0Pools answer").register(registry);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return registry != null && (event instanceof CamelEvent.ExchangeSendingEvent sending
                ? sending.getEndpoint() instanceof HttpEndpoint
                : event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                        || event instanceof CamelEvent.ExchangeFailedEvent);
    }

    @Override
    public void notify(CamelEvent event) {
        MeterRegistry meters = registry;
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            if (sent.getEndpoint() instanceof HttpEndpoint
                    && sent.getExchange().getProperty("poolsRequest") instanceof PoolsRequest request) {
                poolsCall(meters, sent.getExchange(), request.operation(), sent.getTimeTaken());
            }
        } else if (!(event instanceof CamelEvent.ExchangeSendingEvent)   // taken only so that its Sent follows
                && event instanceof CamelEvent.ExchangeEvent done && WEBHOOK_ROUTE.equals(done.getExchange().getFromRouteId())) {
            Integer status = done.getExchange().getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            Counter.builder("pools.bridge.webhook.requests")
                    .tag("status", status == null ? (done.getExchange().isFailed() ? "500" : "200") : status.toString())
                    .register(meters).increment();
        }
    }

    private void poolsCall(MeterRegistry meters, Exchange exchange, String operation, long millis) {
        Integer code = exchange.getException() == null
                ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        String status = code == null ? "error" : code.toString();
        Timer.builder("pools.bridge.pools.calls").tag("operation", operation).tag("status", status)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(15))
                .register(meters).record(Duration.ofMillis(millis));
        if (code != null && code == 429) {
            Counter.builder("pools.bridge.pools.rate.limited").tag("operation", operation).register(meters).increment();
        }
        Long remaining = exchange.getMessage().getHeader("X-RateLimit-Remaining-short", Long.class);
        if (remaining != null) {
            rateRemaining.set(remaining);
        }
    }
}
