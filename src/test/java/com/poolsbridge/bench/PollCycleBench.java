package com.poolsbridge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.poolsbridge.infra.Database;
import com.poolsbridge.settlement.DueTrade;
import com.poolsbridge.settlement.PollCycle;
import com.poolsbridge.settlement.SettlementPoller;
import com.poolsbridge.settlement.SettlementSettings;
import com.poolsbridge.settlement.SettlementStore;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * P5: the database time of one settlement poll cycle, as the settlement-cycle route runs it (stuck trades,
 * pending webhooks, unpublished settlements, trades recorded terminal, the due trades, then per due trade the
 * status apply and the reschedule of a poll that answered "still reserved"), with N open trades of which 100 are
 * due. It runs on a database of its own on the benchmark's PostgreSQL, migrated by the app's Flyway scripts, so
 * the app's own poller never sees the planted trades. Between cycles the 100 are made due again (not timed).
 * Two sizes are compared by interleaving their cycles ({@link #compare}), so load from elsewhere on the machine
 * falls on both alike.
 */
final class PollCycleBench implements AutoCloseable {

    static final int DUE = 100;

    /**
     * One size's result, in ms (each array sorted): the whole cycle, and its part before the polls (the five
     * queries that find work: stuck, webhooks, unpublished, recorded terminal, due); how many trades a cycle polled.
     */
    record Result(int open, double[] cycleMs, double[] queriesMs, int polled) {
        double median() {
            return cycleMs[cycleMs.length / 2];
        }

        double p90() {
            return cycleMs[(int) Math.ceil(cycleMs.length * 0.9) - 1];
        }

        double queriesMedian() {
            return queriesMs[queriesMs.length / 2];
        }
    }

    private final HikariDataSource dataSource;
    private final SettlementPoller poller;
    private final SettlementStore store;
    private final SettlementSettings settings;
    private int planted;

    /** A fresh database {@code name} on the server, migrated by the app's scripts. */
    PollCycleBench(String serverJdbcUrl, String user, String password, String name) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(serverJdbcUrl + "/postgres", user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        dataSource = Database.connect(serverJdbcUrl + "/" + name, user, password, 2);
        Database.migrate(dataSource);
        // production settings, except a batch that takes all 100 due trades in one cycle (production: 50)
        settings = new SettlementSettings(DUE, 2000, 2000, 2.0, 60_000, 259_200_000L, List.of(),
                1_800_000, 30_000, 10_000);
        store = new SettlementStore(dataSource, settings);
        poller = new SettlementPoller(store, settings, Clock.systemUTC(), SimpleMeterRegistry::new);
    }

    /**
     * Grows the open trades to {@code open}: the first 100 due now, the others half reserved with their next poll
     * a minute away, half settled and watched for 72 h (no poll scheduled), then VACUUM ANALYZE.
     */
    void plantUpTo(int open) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state,
                         quote_id, transact_id, trade_status, reserved_at, next_poll_at, poll_count, terminal_at, watch_until)
                     SELECT 'p5-' || g, repeat('0', 64), 'EUR-USDT', 'on_ramp', 100, 'tron', 'RESERVED', 'pq_p5_' || g,
                         'txn_p5_' || g,
                         CASE WHEN g <= ? OR g % 2 = 0 THEN 'reserved' ELSE 'settled' END,
                         now() - interval '1 minute',
                         CASE WHEN g <= ? THEN now() - interval '1 second'
                              WHEN g % 2 = 0 THEN now() + interval '1 minute' END,
                         1,
                         CASE WHEN g > ? AND g % 2 = 1 THEN now() END,
                         CASE WHEN g > ? AND g % 2 = 1 THEN now() + interval '72 hours' END
                     FROM generate_series(?, ?) AS g""")) {
            ps.setInt(1, DUE);
            ps.setInt(2, DUE);
            ps.setInt(3, DUE);
            ps.setInt(4, DUE);
            ps.setInt(5, planted + 1);
            ps.setInt(6, open);
            ps.executeUpdate();
        }
        planted = open;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE order_record");
        }
    }

    /** {@code warmup} untimed cycles of each, then {@code cycles} timed ones, a's and b's taking turns. */
    static Result[] compare(PollCycleBench a, PollCycleBench b, int warmup, int cycles) throws Exception {
        double[][] ms = new double[2][cycles];
        double[][] queries = new double[2][cycles];
        int[] polled = new int[2];
        PollCycleBench[] both = {a, b};
        for (int i = 0; i < warmup + cycles; i++) {
            for (int j = 0; j < 2; j++) {
                long[] queriesNanos = new long[1];
                long start = System.nanoTime();
                int n = both[j].cycle(queriesNanos);
                long took = System.nanoTime() - start;
                both[j].makeDueAgain();
                if (i >= warmup) {
                    ms[j][i - warmup] = took / 1e6;
                    queries[j][i - warmup] = queriesNanos[0] / 1e6;
                    polled[j] = n;
                }
            }
        }
        Result[] out = new Result[2];
        for (int j = 0; j < 2; j++) {
            Arrays.sort(ms[j]);
            Arrays.sort(queries[j]);
            out[j] = new Result(both[j].planted, ms[j], queries[j], polled[j]);
        }
        return out;
    }

    /** The statements of one cycle; each due trade answered "reserved" by the partner. Returns the trades polled. */
    private int cycle(long[] queriesNanos) throws Exception {
        long start = System.nanoTime();
        poller.stuckTrades();
        store.unprocessedWebhooks(settings.webhookRetryAfterMs(), settings.batchSize());
        poller.unpublished();
        poller.settleRecorded();
        PollCycle cycle = poller.newCycle();
        List<DueTrade> due = poller.dueTrades();
        queriesNanos[0] = System.nanoTime() - start;
        for (DueTrade t : due) {
            poller.applyPoll(t, cycle, "{\"transactId\":\"" + t.transactId() + "\",\"status\":\"reserved\"}",
                    "req_bench", "9");
        }
        return due.size();
    }

    private void makeDueAgain() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                UPDATE order_record SET next_poll_at = now() - interval '1 second', poll_count = 1, last_polled_at = NULL
                WHERE order_id = ANY (?)""")) {
            List<String> ids = new ArrayList<>();
            for (int g = 1; g <= DUE; g++) {
                ids.add("p5-" + g);
            }
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
