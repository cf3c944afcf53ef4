package com.poolsbridge.reconciliation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daily report over a fixed past day: counts per order state, trade status and finding kind, exceptions, CSV. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationReportTest {

    private static final LocalDate DAY = LocalDate.of(2020, 2, 3);

    private HikariDataSource ds;
    private final String p = "rep" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    void seed() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        ds = infra.connect(2);
        Instant noon = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC);
        order("o1", "RESERVED", "reserved", noon);
        order("o2", "RESERVED", "reserved", noon);
        order("o3", "RESERVED", "settled", noon);
        order("o4", "REJECTED", null, noon);
        order("o5", "RESERVED", "reserved", noon.plusSeconds(86_400));   // the next day: not counted
        sql("INSERT INTO reconciliation_run (run_id, walk_name, started_at, finished_at) VALUES (?, 'trades', ?, ?)",
                p + "-r1", ts(noon), ts(noon.plusSeconds(60)));
        sql("INSERT INTO reconciliation_run (run_id, walk_name, started_at, finished_at, resumed) VALUES (?, 'trades', ?, ?, 1)",
                p + "-r2", ts(noon.plusSeconds(3600)), ts(noon.plusSeconds(3660)));
        finding("r1", "trade:" + p + "-tA", "matched", "o1", "tA", null, noon.plusSeconds(10));
        finding("r1", "trade:" + p + "-tB", "mismatched", "o3", "tB", "status: ours=reserved theirs=settled", noon.plusSeconds(11));
        finding("r1", "trade:" + p + "-tC", "trade_unknown", null, "tC", null, noon.plusSeconds(12));
        // the later run sees tA again and tB resolved: the report keeps the latest finding per trade
        finding("r2", "trade:" + p + "-tA", "matched", "o1", "tA", null, noon.plusSeconds(3610));
        finding("r2", "trade:" + p + "-tB", "matched", "o3", "tB", null, noon.plusSeconds(3611));
        finding("r2", "stuck_reserved:" + p + "-o2", "stuck_reserved", "o2", "t2", null, noon.plusSeconds(3612));
        finding("r2", "trade:" + p + "-tD", "mismatched", "o2", "tD", "amount(fiat): ours=10, theirs=10.50", noon.plusSeconds(3613));
    }

    @AfterAll
    void close() {
        ds.close();
    }

    @Test
    void rendersCountsPerStateAndKindAndListsExceptions() {
        String report = ReconciliationReport.render(ds, DAY);

        assertThat(report).startsWith("pools-bridge reconciliation report 2020-02-03 (UTC)");
        assertThat(report).contains("Runs: 2 started, 2 complete, 1 resumes; last complete run: " + p + "-r2");
        assertThat(section(report, "Orders received")).containsExactly("REJECTED 1", "RESERVED 3", "total 4");
        assertThat(section(report, "Trade status")).containsExactly("reserved 2", "settled 1", "total 3");
        assertThat(section(report, "Findings")).containsExactly("matched 2", "mismatched 1", "trade_unknown 1",
                "order_without_trade 0", "terminal_without_ledger 0", "stuck_reserved 1", "total 5");
        assertThat(report).contains("Exceptions (3)");
        assertThat(report).containsPattern("mismatched +" + p + "-o2 +" + p + "-tD .*amount\\(fiat\\): ours=10, theirs=10.50");
        assertThat(report).containsPattern("trade_unknown +- +" + p + "-tC");
        assertThat(report).doesNotContain(p + "-o5");
    }

    @Test
    void mainPrintsTheReportAndWritesCsv(@TempDir Path dir) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Path csv = dir.resolve("recon.csv");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ReconciliationReport.main(new String[] {"--day", DAY.toString(), "--csv", csv.toString(),
                    "--db-url", infra.database().jdbcUrl(), "--db-user", infra.database().user()});
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Exceptions (3)").contains("CSV written to");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("kind,orderId,transactId,quoteId,poolId,statusOurs,statusTheirs,differences,runId,foundAt");
        assertThat(lines).hasSize(6);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("mismatched," + p + "-o2," + p + "-tD,")
                .contains("\"amount(fiat): ours=10, theirs=10.50\""));
    }

    @Test
    void aPasswordOnTheCommandLineIsRefused() {
        assertThatThrownBy(() -> ReconciliationReport.options(new String[] {"--db-password", "PLANTED-db-password-1"}))
                .hasMessageContaining("DB_PASSWORD_FILE")
                .hasMessageNotContaining("PLANTED");
        assertThat(ReconciliationReport.options(new String[] {"--day", "2026-06-01", "--db-user", "u"}))
                .containsEntry("day", "2026-06-01").containsEntry("db-user", "u");
    }

    /** The rows of one section, whitespace collapsed. */
    private static List<String> section(String report, String title) {
        String[] blocks = report.split("\n\n");
        for (String block : blocks) {
            if (block.startsWith(title)) {
                return block.lines().skip(1).map(l -> l.trim().replaceAll("\\s+", " ")).toList();
            }
        }
        throw new AssertionError("no section " + title + " in\n" + report);
    }

    private void order(String id, String state, String tradeStatus, Instant receivedAt) throws Exception {
        sql("""
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state, trade_status,
                    received_at) VALUES (?, repeat('0', 64), 'EUR-USDT', 'on_ramp', 10, 'tron', ?, ?, ?)""",
                p + "-" + id, state, tradeStatus, ts(receivedAt));
    }

    private void finding(String run, String subject, String kind, String orderId, String transactId, String differences,
                         Instant foundAt) throws Exception {
        sql("""
                INSERT INTO reconciliation_finding (run_id, subject, kind, order_id, transact_id, quote_id, pool_id,
                    status_ours, status_theirs, differences, message_json, found_at)
                VALUES (?, ?, ?, ?, ?, ?, 'EUR-USDT', 'reserved', 'reserved', ?, '{}', ?)""",
                p + "-" + run, subject, kind, orderId == null ? null : p + "-" + orderId, p + "-" + transactId,
                "pq_" + p + "-" + transactId, differences, ts(foundAt));
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
