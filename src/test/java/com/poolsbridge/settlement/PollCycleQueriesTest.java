package com.poolsbridge.settlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.infra.Database;
import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poll cycle's statements read the trades that are due, not the open ones (issue 8 §2, P5): with 10,000 open
 * trades of which 100 are due, EXPLAIN ANALYZE shows index scans only, and the rows they touch follow the 100.
 * Everything is planted in one transaction and rolled back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PollCycleQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DUE = 100;

    private HikariDataSource dataSource;

    @BeforeAll
    void connect() throws Exception {
        var db = TestInfrastructure.get().database();
        dataSource = Database.connect(db.jdbcUrl(), db.user(), TestInfrastructure.DB_PASSWORD, 2);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    @Test
    void dueStuckAndOwedQueriesUseTheirIndexesAndReadOnlyTheDueRows() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                plant(c);
                List<JsonNode> due = scans(explain(c, SettlementStore.DUE_SQL, 2000L, 500));
                List<JsonNode> stuck = scans(explain(c, SettlementStore.STUCK_SQL, 1_800_000L, 500));
                List<JsonNode> owed = scans(explain(c, SettlementStore.RECORDED_TERMINAL_SQL, 500));

                for (List<JsonNode> plan : List.of(due, stuck, owed)) {
                    assertThat(plan).isNotEmpty().allSatisfy(scan ->
                            assertThat(scan.path("Node Type").asText()).as(scan.toString()).contains("Index"));
                }
                assertThat(rowsRead(due)).as("due: the planted due trades (and few others), not 10,000")
                        .isBetween((long) DUE, DUE + 50L);
                assertThat(rowsRead(stuck)).as("stuck: nothing is reserved that long").isLessThan(50);
                assertThat(rowsRead(owed)).as("owed settlements: none planted").isLessThan(50);
                assertThat(due.get(0).path("Index Name").asText()).isEqualTo("order_record_next_poll_idx");
                assertThat(stuck.get(0).path("Index Name").asText()).isEqualTo("order_record_stuck_idx");
                assertThat(owed.get(0).path("Index Name").asText()).isEqualTo("order_record_recorded_terminal_idx");
            } finally {
                c.rollback();
            }
        }
    }

    /** 100 reserved trades due now, 4,900 reserved polled later, 5,000 settled and watched (no poll scheduled). */
    private static void plant(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state,
                    quote_id, transact_id, trade_status, reserved_at, next_poll_at, poll_count, terminal_at, watch_until)
                SELECT 'p5-' || g, repeat('0', 64), 'EUR-USDT', 'on_ramp', 100, 'tron', 'RESERVED', 'pq_p5_' || g,
                    'txn_p5_' || g,
                    CASE WHEN g <= 5000 THEN 'reserved' ELSE 'settled' END,
                    now() - interval '1 minute',
                    CASE WHEN g <= ? THEN now() - interval '1 second'
                         WHEN g <= 5000 THEN now() + interval '1 minute' END,
                    1,
                    CASE WHEN g > 5000 THEN now() END,
                    CASE WHEN g > 5000 THEN now() + interval '72 hours' END
                FROM generate_series(1, 10000) AS g""")) {
            ps.setInt(1, DUE);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("ANALYZE order_record")) {
            ps.execute();
        }
    }

    private static JsonNode explain(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return JSON.readTree(rs.getString(1)).get(0).get("Plan");
            }
        }
    }

    /** Every plan node that reads order_record. */
    private static List<JsonNode> scans(JsonNode plan) {
        List<JsonNode> out = new ArrayList<>();
        if ("order_record".equals(plan.path("Relation Name").asText())) {
            out.add(plan);
        }
        plan.path("Plans").forEach(child -> out.addAll(scans(child)));
        return out;
    }

    /** Rows the scans fetched, including those a filter threw away afterwards. */
    private static long rowsRead(List<JsonNode> scans) {
        return scans.stream().mapToLong(s -> s.path("Actual Rows").asLong() + s.path("Rows Removed by Filter").asLong())
                .sum();
    }
}
