package com.poolsbridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.poolsbridge.infra.Jdbc;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Business figures read from the database and the dead-letter queues (route business-metrics-refresh calls
 * {@link #refresh()}): exact, and the same on every replica, so a dashboard takes max() across pods, never
 * sum(). Totals of rows that only ever grow (terminal orders, settlement events, findings, processed webhooks)
 * are counters; everything that goes up and down is a gauge. Meters for a new tag value (a new rejection
 * code) appear at the refresh that first sees it.
 */
public final class BusinessMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessMetrics.class);

    private final DataSource dataSource;
    private final DeadLetterQueues deadLetters;
    private final Clock clock;
    private final Duration stuckAfter;
    private final Duration lagWindow;
    private final Instant started;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public BusinessMetrics(DataSource dataSource, DeadLetterQueues deadLetters, Clock clock, Duration stuckAfter,
                           Duration lagWindow) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
        this.lagWindow = lagWindow;
        this.started = clock.instant();
    }

    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Reads every figure once; a failing source leaves its previous values and is logged. */
    public void refresh() {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        Map<String, Tags> gauges = new HashMap<>();
        Map<String, Tags> counters = new HashMap<>();
        try {
            orders(gauges, counters);
            trades(gauges);
            settlements(gauges, counters);
            reconciliation(gauges, counters);
            webhooks(gauges, counters);
        } catch (RuntimeException e) {
            LOG.warn("business metrics: database figures not refreshed: {}", e.toString());
        }
        for (String queue : deadLetters.queues()) {
            try {
                put(gauges, "pools.bridge.dlq.depth", Tags.of("queue", queue), deadLetters.depth(queue, 100_000));
            } catch (Exception e) {
                LOG.warn("business metrics: depth of {} not refreshed: {}", queue, e.toString());
            }
        }
        gauges.forEach((key, tags) -> registered.computeIfAbsent(key, k -> {
            Gauge.builder(name(k), values, v -> v.getOrDefault(k, Double.NaN)).tags(tags).register(meters);
            return true;
        }));
        counters.forEach((key, tags) -> registered.computeIfAbsent(key, k -> {
            FunctionCounter.builder(name(k), values, v -> v.getOrDefault(k, 0.0)).tags(tags).register(meters);
            return true;
        }));
    }

    private void orders(Map<String, Tags> gauges, Map<String, Tags> counters) {
        for (String state : List.of("RECEIVED", "TRANSACTING", "FAILED")) {
            put(gauges, "pools.bridge.orders.open", Tags.of("state", state.toLowerCase()), 0);
        }
        put(counters, "pools.bridge.orders", Tags.of("outcome", "accepted", "code", "none"), 0);
        for (Object[] row : rows("""
                SELECT state, COALESCE(reject_code, 'none'), count(*) FROM order_record GROUP BY 1, 2""")) {
            String state = (String) row[0];
            double n = ((Number) row[2]).doubleValue();
            switch (state) {
                case "RESERVED" -> add(counters, "pools.bridge.orders", Tags.of("outcome", "accepted", "code", "none"), n);
                case "REJECTED" -> add(counters, "pools.bridge.orders", Tags.of("outcome", "rejected", "code", (String) row[1]), n);
                default -> add(gauges, "pools.bridge.orders.open", Tags.of("state", state.toLowerCase()), n);
            }
        }
    }

    private void trades(Map<String, Tags> gauges) {
        Object[] row = rows("""
                SELECT count(*), count(*) FILTER (WHERE reserved_at < now() - (? * interval '1 millisecond')),
                    COALESCE(EXTRACT(EPOCH FROM now() - min(reserved_at)), 0)
                FROM order_record WHERE state = 'RESERVED' AND trade_status = 'reserved'""", stuckAfter.toMillis()).get(0);
        put(gauges, "pools.bridge.trades.reserved", Tags.empty(), ((Number) row[0]).doubleValue());
        put(gauges, "pools.bridge.trades.stuck", Tags.empty(), ((Number) row[1]).doubleValue());
        put(gauges, "pools.bridge.trades.reserved.oldest.age.seconds", Tags.empty(), ((Number) row[2]).doubleValue());
    }

    private void settlements(Map<String, Tags> gauges, Map<String, Tags> counters) {
        Object[] lag = rows("""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.95) WITHIN GROUP (ORDER BY lag),
                    max(lag), count(*)
                FROM (SELECT EXTRACT(EPOCH FROM terminal_at - reserved_at) AS lag FROM order_record
                      WHERE terminal_at > now() - (? * interval '1 millisecond') AND reserved_at IS NOT NULL) t""",
                lagWindow.toMillis()).get(0);
        String[] stats = {"p50", "p95", "max"};
        for (int i = 0; i < stats.length; i++) {
            put(gauges, "pools.bridge.settlement.lag.seconds", Tags.of("stat", stats[i]),
                    lag[i] == null ? Double.NaN : ((Number) lag[i]).doubleValue());
        }
        put(gauges, "pools.bridge.settlement.lag.trades", Tags.empty(), ((Number) lag[3]).doubleValue());
        for (String status : List.of("settled", "failed", "released", "returned")) {
            put(counters, "pools.bridge.settlements", Tags.of("status", status), 0);
        }
        for (Object[] row : rows("SELECT status, count(*) FROM settlement_event GROUP BY 1")) {
            put(counters, "pools.bridge.settlements", Tags.of("status", (String) row[0]), ((Number) row[1]).doubleValue());
        }
    }

    private void reconciliation(Map<String, Tags> gauges, Map<String, Tags> counters) {
        for (String kind : List.of("matched", "mismatched", "trade_unknown", "order_without_trade",
                "terminal_without_ledger", "stuck_reserved")) {
            put(counters, "pools.bridge.reconciliation.findings", Tags.of("kind", kind), 0);
        }
        for (Object[] row : rows("SELECT kind, count(*) FROM reconciliation_finding GROUP BY 1")) {
            put(counters, "pools.bridge.reconciliation.findings", Tags.of("kind", (String) row[0]),
                    ((Number) row[1]).doubleValue());
        }
        // no complete walk yet: the time this process has been waiting for one
        Object lastWalk = rows("SELECT EXTRACT(EPOCH FROM now() - max(finished_at)) FROM reconciliation_run").get(0)[0];
        put(gauges, "pools.bridge.reconciliation.last.complete.walk.age.seconds", Tags.empty(), lastWalk != null
                ? ((Number) lastWalk).doubleValue() : Duration.between(started, clock.instant()).toSeconds());
    }

    private void webhooks(Map<String, Tags> gauges, Map<String, Tags> counters) {
        put(gauges, "pools.bridge.webhook.events.pending", Tags.empty(), 0);
        for (String result : List.of("applied", "duplicate", "ignored", "unknown_trade")) {
            put(counters, "pools.bridge.webhook.events", Tags.of("result", result), 0);
        }
        for (Object[] row : rows("SELECT outcome, count(*) FROM webhook_event GROUP BY 1")) {
            double n = ((Number) row[1]).doubleValue();
            if (row[0] == null) {
                put(gauges, "pools.bridge.webhook.events.pending", Tags.empty(), n);
            } else {
                put(counters, "pools.bridge.webhook.events", Tags.of("result", (String) row[0]), n);
            }
        }
    }

    private List<Object[]> rows(String sql, Object... args) {
        return Jdbc.query(dataSource, sql, rs -> {
            Object[] row = new Object[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getObject(i + 1);
            }
            return row;
        }, args);
    }

    private void put(Map<String, Tags> kind, String name, Tags tags, double value) {
        String key = key(name, tags);
        kind.put(key, tags);
        values.put(key, value);
    }

    private void add(Map<String, Tags> kind, String name, Tags tags, double value) {
        String key = key(name, tags);
        double before = kind.containsKey(key) ? values.getOrDefault(key, 0.0) : 0.0;
        put(kind, name, tags, before + value);
    }

    private static String key(String name, Tags tags) {
        StringBuilder key = new StringBuilder(name).append('|');
        tags.forEach(tag -> key.append(tag.getKey()).append('=').append(tag.getValue()).append(','));
        return key.toString();
    }

    private static String name(String key) {
        return key.substring(0, key.indexOf('|'));
    }
}
