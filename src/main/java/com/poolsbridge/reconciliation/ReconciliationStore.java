package com.poolsbridge.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.pools.PoolsJson;

/**
 * Tables reconciliation_cursor, reconciliation_run, reconciliation_finding (V4), returned_trade (V9) and reads of
 * order_record.
 */
public class ReconciliationStore {

    public record Outgoing(long id, String runId, String subject, String kind, String orderId, String messageJson) {
    }

    private final DataSource dataSource;

    public ReconciliationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the walk's lease (creating its cursor row on first use); false when another owner holds it. */
    public boolean lease(String name, String owner, long leaseMillis) {
        update("INSERT INTO reconciliation_cursor (name) VALUES (?) ON CONFLICT (name) DO NOTHING", name);
        return update("""
                UPDATE reconciliation_cursor SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond')
                WHERE name = ? AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ?)""",
                owner, leaseMillis, name, owner) == 1;
    }

    public void release(String name, String owner) {
        update("UPDATE reconciliation_cursor SET lease_owner = NULL, lease_until = NULL WHERE name = ? AND lease_owner = ?",
                name, owner);
    }

    /** Loads the walk in progress, or starts a new run when none is. */
    public WalkState begin(String name, String newRunId, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            WalkState state;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM reconciliation_cursor WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String runId = rs.getString("run_id");
                    String stopAtId = rs.getString("stop_at_id");
                    Instant stopAt = instant(rs, "stop_at_created_at");
                    String ledgerStopAt = rs.getString("ledger_stop_at");
                    if (runId != null) {
                        state = new WalkState(name, runId, startedAt(c, runId), true, rs.getString("page_cursor"),
                                rs.getInt("pages"), rs.getString("walk_newest_id"), instant(rs, "walk_newest_created_at"),
                                instant(rs, "walk_oldest_created_at"), stopAtId, stopAt, ledgerStopAt);
                    } else {
                        state = new WalkState(name, newRunId, now, false, null, 0, null, null, null, stopAtId, stopAt,
                                ledgerStopAt);
                    }
                }
            }
            if (state.resumed) {
                exec(c, "UPDATE reconciliation_run SET resumed = resumed + 1 WHERE run_id = ?", state.runId);
            } else {
                exec(c, "INSERT INTO reconciliation_run (run_id, walk_name, started_at) VALUES (?, ?, ?)",
                        state.runId, name, Timestamp.from(now));
                exec(c, """
                        UPDATE reconciliation_cursor SET run_id = ?, page_cursor = NULL, pages = 0, walk_newest_id = NULL,
                            walk_newest_created_at = NULL, walk_oldest_created_at = NULL, updated_at = now() WHERE name = ?""",
                        state.runId, name);
            }
            c.commit();
            return state;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot begin reconciliation walk " + name, e);
        }
    }

    /** Called only after every finding of the page is stored: a restart re-reads at most the next page. */
    public void savePage(WalkState s) {
        update("""
                UPDATE reconciliation_cursor SET page_cursor = ?, pages = ?, walk_newest_id = ?, walk_newest_created_at = ?,
                    walk_oldest_created_at = ?, updated_at = now() WHERE name = ? AND run_id = ?""",
                s.pageCursor, s.pages, s.newestId, ts(s.newestCreatedAt), ts(s.oldestCreatedAt), s.name, s.runId);
        update("UPDATE reconciliation_run SET pages = ? WHERE run_id = ?", s.pages, s.runId);
    }

    /** The walk is complete: its newest trade becomes the watermark and the run is closed with its counts. */
    /** Ends the run; counts_json holds the findings per kind and, when there were any, ledger_malformed. */
    public void finish(WalkState s, int ledgerEntries, int ledgerMalformed, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (s.newestId != null) {
                exec(c, "UPDATE reconciliation_cursor SET stop_at_id = ?, stop_at_created_at = ? WHERE name = ?",
                        s.newestId, ts(s.newestCreatedAt), s.name);
            }
            exec(c, """
                    UPDATE reconciliation_cursor SET run_id = NULL, page_cursor = NULL, pages = 0, walk_newest_id = NULL,
                        walk_newest_created_at = NULL, walk_oldest_created_at = NULL, updated_at = now()
                    WHERE name = ? AND run_id = ?""", s.name, s.runId);
            Map<String, Integer> counts = countsByKind(c, s.runId);
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            int trades = count(c, "SELECT count(*) FROM reconciliation_finding WHERE run_id = ? AND subject LIKE 'trade:%'", s.runId);
            StringBuilder json = new StringBuilder("{");
            counts.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            if (ledgerMalformed > 0) {
                json.append(json.length() > 1 ? "," : "").append("\"ledger_malformed\":").append(ledgerMalformed);
            }
            exec(c, """
                    UPDATE reconciliation_run SET finished_at = ?, pages = ?, trades_seen = ?, ledger_entries = ?,
                        findings = ?, counts_json = ? WHERE run_id = ?""",
                    Timestamp.from(now), s.pages, trades, ledgerEntries, total, json.append('}').toString(), s.runId);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot finish reconciliation run " + s.runId, e);
        }
    }

    /**
     * Stores each finding unless this run already has one for its subject, in one batch. A matched trade whose
     * latest earlier finding was matched with the same statuses is stored with same_as_run (counted, not sent
     * again): only news goes to the queue.
     */
    public void record(String runId, List<Finding> findings, Instant now) {
        List<Object[]> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(new Object[] {runId, f.subject(), f.kind().name(), f.orderId(), f.transactId(), f.quoteId(),
                    f.poolId(), f.statusOurs(), f.statusTheirs(), f.differencesText(), f.toJson(runId, now),
                    Timestamp.from(now), f.kind().name(), f.statusOurs(), f.statusTheirs(), f.subject(), runId});
        }
        Jdbc.batch(dataSource, """
                INSERT INTO reconciliation_finding (run_id, subject, kind, order_id, transact_id, quote_id, pool_id,
                    status_ours, status_theirs, differences, message_json, found_at, same_as_run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    (SELECT CASE WHEN ? = 'matched' AND p.kind = 'matched' AND p.status_ours IS NOT DISTINCT FROM ?
                                      AND p.status_theirs IS NOT DISTINCT FROM ? THEN p.run_id END
                     FROM reconciliation_finding p WHERE p.subject = ? AND p.run_id <> ? ORDER BY p.id DESC LIMIT 1))
                ON CONFLICT (run_id, subject) DO NOTHING""", rows);
    }

    /** The persisted ledger totals of these refs (every entry counted by this walk name so far); a ref without any is absent. */
    public Map<String, LedgerIndex.Totals> ledgerTotals(String name, Collection<String> refs) {
        Map<String, LedgerIndex.Totals> totals = new HashMap<>();
        Jdbc.query(dataSource,
                "SELECT ref, debits, debit, refunds, refund FROM reconciliation_ledger WHERE walk_name = ? AND ref = ANY(?)",
                rs -> totals.put(rs.getString(1),
                        new LedgerIndex.Totals(rs.getInt(2), rs.getBigDecimal(3), rs.getInt(4), rs.getBigDecimal(5))),
                name, refs.toArray(String[]::new));
        return totals;
    }

    /** Adds the walk's new ledger entries to the totals and moves the ledger watermark, in one transaction. */
    public void saveLedger(String name, Map<String, LedgerIndex.Totals> added, String newest) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Object[]> rows = new ArrayList<>();
                added.forEach((ref, t) -> rows.add(new Object[] {name, ref, t.debits(), t.debit(), t.refunds(), t.refund()}));
                Jdbc.batch(c, """
                        INSERT INTO reconciliation_ledger (walk_name, ref, debits, debit, refunds, refund)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (walk_name, ref) DO UPDATE SET debits = reconciliation_ledger.debits + EXCLUDED.debits,
                            debit = reconciliation_ledger.debit + EXCLUDED.debit,
                            refunds = reconciliation_ledger.refunds + EXCLUDED.refunds,
                            refund = reconciliation_ledger.refund + EXCLUDED.refund, updated_at = now()""", rows);
                if (newest != null) {
                    exec(c, "UPDATE reconciliation_cursor SET ledger_stop_at = ? WHERE name = ?", newest, name);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save the ledger of walk " + name, e);
        }
    }

    /**
     * The oldest stored findings not yet sent, of any run: a walk whose last publish failed after its run closed
     * has its findings sent by the next walk (index reconciliation_finding_unpublished_idx).
     */
    public List<Outgoing> unpublished(int max) {
        return Jdbc.query(dataSource, """
                SELECT id, run_id, subject, kind, order_id, message_json FROM reconciliation_finding
                WHERE published_at IS NULL AND same_as_run IS NULL ORDER BY id LIMIT ?""",
                rs -> new Outgoing(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), max);
    }

    public void markPublished(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        update("UPDATE reconciliation_finding SET published_at = now() WHERE id = ANY(?)", (Object) ids.toArray(Long[]::new));
    }

    /** transactIds of the trades this run has already reconciled (survives a restart). */
    public Set<String> tradesSeen(String runId) {
        return new HashSet<>(Jdbc.query(dataSource,
                "SELECT transact_id FROM reconciliation_finding WHERE run_id = ? AND subject LIKE 'trade:%'",
                rs -> rs.getString(1), runId));
    }

    /**
     * The order records of these trades: those holding one of the transactIds, and those holding one of the
     * quoteIds with no trade recorded yet (a transact whose answer never came back).
     */
    public List<OurOrder> ordersOfTrades(Collection<String> transactIds, Collection<String> quoteIds) {
        return orders("SELECT * FROM order_record WHERE transact_id = ANY(?) OR (quote_id = ANY(?) AND transact_id IS NULL)",
                transactIds.toArray(String[]::new), quoteIds.toArray(String[]::new));
    }

    /** Keeps returned trades as a read listed them (a trade listed again replaces its row). */
    public void keepReturned(List<JsonNode> trades, Instant readAt) {
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode trade : trades) {
            Instant created = TradeComparator.createdAt(trade);
            rows.add(new Object[] {PoolsJson.text(trade, "transactId"), Timestamp.from(created != null ? created : readAt),
                    trade.toString(), Timestamp.from(readAt)});
        }
        Jdbc.batch(dataSource, """
                INSERT INTO returned_trade (transact_id, created_at, trade_json, read_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (transact_id) DO UPDATE SET trade_json = EXCLUDED.trade_json, read_at = EXCLUDED.read_at""", rows);
    }

    /** The returned trades created from {@code from} on, as last listed; older rows are dropped. */
    public List<String> returnedSince(Instant from) {
        update("DELETE FROM returned_trade WHERE created_at < ?", Timestamp.from(from));
        return Jdbc.query(dataSource, "SELECT trade_json FROM returned_trade WHERE created_at >= ? ORDER BY created_at DESC",
                rs -> rs.getString(1), Timestamp.from(from));
    }

    public List<OurOrder> reservedOrders() {
        return orders("SELECT * FROM order_record WHERE state = 'RESERVED' AND transact_id IS NOT NULL");
    }

    private List<OurOrder> orders(String sql, Object... args) {
        return Jdbc.query(dataSource, sql, rs -> new OurOrder(rs.getString("order_id"), rs.getString("pool_id"),
                rs.getString("side"), rs.getBigDecimal("amount"), rs.getString("state"), rs.getString("quote_id"),
                rs.getString("transact_id"), rs.getString("trade_status"), instant(rs, "reserved_at"),
                rs.getString("trade_json")), args);
    }

    private static Map<String, Integer> countsByKind(Connection c, String runId) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Jdbc.query(c, "SELECT kind, count(*) FROM reconciliation_finding WHERE run_id = ? GROUP BY kind ORDER BY kind",
                rs -> Map.entry(rs.getString(1), rs.getInt(2)), runId).forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    private static int count(Connection c, String sql, String arg) throws SQLException {
        return Jdbc.query(c, sql, rs -> rs.getInt(1), arg).get(0);
    }

    private static Instant startedAt(Connection c, String runId) throws SQLException {
        return Jdbc.query(c, "SELECT started_at FROM reconciliation_run WHERE run_id = ?",
                rs -> rs.getTimestamp(1).toInstant(), runId).stream().findFirst().orElseGet(Instant::now);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        Jdbc.update(c, sql, args);
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(dataSource, sql, args);
    }
}
