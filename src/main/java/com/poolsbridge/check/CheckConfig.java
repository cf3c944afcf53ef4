package com.poolsbridge.check;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the check compares 0Pools against, from the bridge's own properties ({@code pools.pools} and the
 * {@code check.*} keys of config/application.properties): the pools and, per pool, the approved sides, networks
 * and order limits; the terms of the test quotes; the webhook endpoint; the controlled order's pace.
 */
record CheckConfig(List<String> pools, Function<String, Approved> approved, String quotePool, String quoteSide,
                   String quoteNetwork, String quoteAmount, String destAddress, long quoteTtlSeconds,
                   long quoteTtlToleranceSeconds, String webhookUrl, long orderTimeoutMs, long pollIntervalMs,
                   String ordersQueue, String resultsQueue) {

    /** The webhook setting that says "no webhook endpoint: settlement by status polling only". */
    static final String POLLING_ONLY = "polling";

    /** The set 0Bit approved for one pool; null limits mean "no maximum". */
    record Approved(List<String> sides, List<String> networks, BigDecimal minOrderUsdt, BigDecimal maxOrderUsdt) {
    }

    static CheckConfig from(Function<String, String> property) {
        List<String> pools = list(property.apply("pools.pools"));
        String quotePool = property.apply("check.quote.pool");
        return new CheckConfig(pools,
                pool -> approved(property, pool),
                quotePool == null || quotePool.isBlank() ? pools.get(0) : quotePool.trim(),
                text(property, "check.quote.side"),
                text(property, "check.quote.network"),
                text(property, "check.quote.amount"),
                text(property, "check.quote.dest-address"),
                Long.parseLong(text(property, "check.quote.ttl-seconds")),
                Long.parseLong(text(property, "check.quote.ttl-tolerance-seconds")),
                text(property, "check.webhook-url"),
                Long.parseLong(text(property, "check.order.timeout-ms")),
                Long.parseLong(text(property, "check.order.poll-interval-ms")),
                text(property, "queues.orders"),
                text(property, "queues.results"));
    }

    private static Approved approved(Function<String, String> property, String pool) {
        String prefix = "check.approved." + pool + ".";
        String sides = property.apply(prefix + "sides");
        if (sides == null || sides.isBlank()) {
            return null;
        }
        String max = text(property, prefix + "max-order-usdt");
        return new Approved(list(sides), list(property.apply(prefix + "networks")),
                new BigDecimal(text(property, prefix + "min-order-usdt")),
                max.isEmpty() || max.equals("none") ? null : new BigDecimal(max));
    }

    private static String text(Function<String, String> property, String key) {
        String value = property.apply(key);
        return value == null ? "" : value.trim();
    }

    static List<String> list(String csv) {
        return csv == null ? List.of()
                : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
