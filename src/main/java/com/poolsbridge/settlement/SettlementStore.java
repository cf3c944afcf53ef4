package com.poolsbridge.settlement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.poolsbridge.infra.Jdbc;

/**
 * Settlement persistence: poll scheduling on order_record, settlement_event (one row per trade and status,
 * written in the same transaction as the status change) and webhook_event (one row per eventId).
 */
public class SettlementStore {

    public enum Result { APPLIED, ALREADY, ILLEGAL, UNKNOWN_TRADE }

    /** What applying an observed status did; publications holds one entry per settlement_event row written now. */
    public record Applied(Result result, String orderId, String previousStatus, List<Publication> publications) {
    }

    /** Builds the settlement message of one new row (the store only knows the order, the status and the one before). */
    @FunctionalInterface
    public interface MessageFactory {
        String build(String orderId, String status, String previousStatus);
    }

    public record StoredWebhook(String eventId, String type, String transactId, String rawBody) {
    }

    /** A trade recorded terminal by the order route (transact or lookup answer) whose settlement is not written yet. */
    public record RecordedTerminal(String transactId, String status, String tradeJson) {
    }

    /**
     * The next returned-watch poll of a settled trade: the first of the configured offsets (ms after the first
     * terminal sighting, bound twice) that lies in the future and inside the watch window; NULL when none is left.
     */
    private static final String NEXT_WATCH_POLL = """
            (SELECT min(%1$s + o * interval '1 millisecond') FROM unnest(string_to_array(?, ',')::bigint[]) AS o
             WHERE %1$s + o * interval '1 millisecond' > now() AND %1$s + o * interval '1 millisecond' <= %2$s)""";

    // the statements every poll cycle runs (package-visible so PollCycleQueriesTest can EXPLAIN them)
    static final String DUE_SQL = """
            SELECT order_id, quote_id, transact_id, trade_status, poll_count FROM order_record
            WHERE next_poll_at <= now() AND state = 'RESERVED' AND quote_id IS NOT NULL
              AND (trade_status = 'reserved' OR (trade_status = 'settled' AND watch_until > now()))
              AND (poll_count > 0 OR reserved_at <= now() - ? * interval '1 millisecond')
            ORDER BY next_poll_at LIMIT ?""";
    static final String STUCK_SQL = """
            SELECT order_id, quote_id, transact_id, reserved_at, poll_count FROM order_record
            WHERE state = 'RESERVED' AND trade_status = 'reserved' AND stuck_reported_at IS NULL
              AND reserved_at <= now() - ? * interval '1 millisecond' ORDER BY reserved_at LIMIT ?""";
    static final String RECORDED_TERMINAL_SQL = """
            SELECT transact_id, trade_status, trade_json FROM order_record
            WHERE state = 'RESERVED' AND terminal_at IS NULL AND transact_id IS NOT NULL
              AND trade_status IN ('settled','failed','released','returned')
            ORDER BY reserved_at LIMIT ?""";

    private final DataSource dataSource;
    private final SettlementSettings settings;

    public SettlementStore(DataSource dataSource, SettlementSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** The settings the store was built with, for the poller and webhook intake that work on its rows. */
    public SettlementSettings settings() {
        return settings;
    }

    /**
     * Due trades, oldest next_poll_at first. Reads only the rows whose next_poll_at has come (index
     * order_record_next_poll_idx): next_poll_at is NULL for every trade that needs no poll, so the cost follows
     * the due trades, not the open ones.
     */
    public List<DueTrade> due(int limit, long initialDelayMs) {
        return Jdbc.query(dataSource, DUE_SQL,
                rs -> new DueTrade(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)),
                initialDelayMs, limit);
    }

    /**
     * A poll finished (or failed): counts it and schedules the next one from the trade's current status: reserved
     * → growing backoff (initial × multiplier^polls, capped), settled → its next returned-watch poll if one is
     * left, anything else → no further polls.
     */
    public void polled(String orderId, String error) {
        update("""
                UPDATE order_record SET poll_count = poll_count + 1, last_polled_at = now(), last_poll_error = ?,
                    next_poll_at = CASE
                        WHEN trade_status = 'reserved'
                            THEN now() + LEAST(? * power(?::float8, LEAST(poll_count, 40)), ?) * interval '1 millisecond'
                        WHEN trade_status = 'settled' AND watch_until > now()
                            THEN """ + NEXT_WATCH_POLL.formatted("terminal_at", "watch_until") + """

                        ELSE NULL END
                WHERE order_id = ?""",
                error == null ? null : Jdbc.truncate(error, 512), (double) settings.backoffInitialMs(),
                settings.backoffMultiplier(), (double) settings.backoffMaxMs(), settings.watchPollsCsv(), orderId);
    }

    /**
     * Applies an observed trade status in one transaction: the order row is locked, only a legal forward move (or
     * the first sighting of a status recorded terminal at transact) changes it, and one settlement_event row per
     * step is inserted alongside; its primary key makes a second sighting (poll, read and webhook at once, a
     * replay, a restart) a no-op. reserved→returned seen at once is two steps: settled, then returned.
     */
    public Applied apply(String transactId, String observed, String tradeJson, String source, String requestId,
                         String eventId, Instant occurredAt, MessageFactory messages) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Applied applied = applyLocked(c, transactId, observed, tradeJson, source, requestId, eventId,
                        occurredAt, messages);
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply trade status for " + transactId, e);
        }
    }

    private Applied applyLocked(Connection c, String transactId, String observed, String tradeJson, String source,
                                String requestId, String eventId, Instant occurredAt,
                                MessageFactory messages) throws SQLException {
        String orderId;
        String current;
        boolean applied;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT order_id, trade_status, terminal_at IS NOT NULL FROM order_record
                WHERE transact_id = ? AND state = 'RESERVED' FOR UPDATE""")) {
            ps.setString(1, transactId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Applied(Result.UNKNOWN_TRADE, null, null, List.of());
                }
                orderId = rs.getString(1);
                current = rs.getString(2);
                applied = rs.getBoolean(3);
            }
        }
        String from;
        if (observed.equals(current)) {
            if (!TradeTransitions.terminal(observed) || applied) {
                return new Applied(Result.ALREADY, orderId, current, List.of());
            }
            from = "reserved";   // recorded terminal at transact, never applied: its settlement is still owed
        } else {
            from = current;
        }
        List<String> steps = TradeTransitions.steps(from, observed);
        if (steps.isEmpty()) {
            return new Applied(Result.ILLEGAL, orderId, current, List.of());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE order_record SET trade_status = ?, trade_json = COALESCE(?, trade_json), updated_at = now(),
                    terminal_at = COALESCE(terminal_at, now()),
                    watch_until = CASE WHEN ? = 'settled' THEN COALESCE(watch_until, now() + ? * interval '1 millisecond')
                                       ELSE watch_until END,
                    next_poll_at = CASE WHEN ? = 'settled' THEN """
                + NEXT_WATCH_POLL.formatted("COALESCE(terminal_at, now())",
                        "COALESCE(watch_until, now() + ? * interval '1 millisecond')") + """
                 ELSE NULL END
                WHERE order_id = ?""")) {
            ps.setString(1, observed);
            ps.setString(2, tradeJson);
            ps.setString(3, observed);
            ps.setLong(4, settings.watchMs());
            ps.setString(5, observed);
            ps.setString(6, settings.watchPollsCsv());
            ps.setLong(7, settings.watchMs());
            ps.setString(8, orderId);
            ps.executeUpdate();
        }
        List<Publication> publications = new ArrayList<>();
        String previous = from;
        for (String step : steps) {
            String json = messages.build(orderId, step, previous);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO settlement_event (transact_id, status, order_id, previous_status, source, request_id,
                        event_id, occurred_at, message_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transact_id, status) DO NOTHING""")) {
                ps.setString(1, transactId);
                ps.setString(2, step);
                ps.setString(3, orderId);
                ps.setString(4, previous);
                ps.setString(5, source);
                ps.setString(6, requestId);
                ps.setString(7, eventId);
                ps.setTimestamp(8, Timestamp.from(occurredAt));
                ps.setString(9, json);
                if (ps.executeUpdate() == 1) {
                    publications.add(new Publication(transactId, step, orderId, json));
                }
            }
            previous = step;
        }
        return new Applied(publications.isEmpty() ? Result.ALREADY : Result.APPLIED, orderId, current, publications);
    }

    /**
     * Trades the order route recorded already terminal (transact or the lookup answered settled/failed/…) whose
     * settlement was never written: terminal_at is set by the first apply, so these rows are exactly the owed ones
     * (partial index order_record_recorded_terminal_idx).
     */
    public List<RecordedTerminal> recordedTerminal(int limit) {
        return Jdbc.query(dataSource, RECORDED_TERMINAL_SQL,
                rs -> new RecordedTerminal(rs.getString(1), rs.getString(2), rs.getString(3)), limit);
    }

    /**
     * Where the returned read starts: the oldest trade still watched (reserved_at, our clock) minus a margin for
     * the clocks of the two sides; empty when no settled trade is watched (then nothing needs reading).
     */
    public Optional<Instant> oldestWatched(long marginMs) {
        List<Timestamp> oldest = Jdbc.query(dataSource, """
                SELECT min(reserved_at) - ? * interval '1 millisecond' FROM order_record
                WHERE trade_status = 'settled' AND watch_until > now()""", rs -> rs.getTimestamp(1), marginMs);
        return Optional.ofNullable(oldest.get(0)).map(Timestamp::toInstant);
    }

    public void published(String transactId, String status) {
        update("UPDATE settlement_event SET published_at = now() WHERE transact_id = ? AND status = ? AND published_at IS NULL",
                transactId, status);
    }

    /** Rows recorded but not (known to be) sent, older than the grace period: re-sent, broker-deduplicated. */
    public List<Publication> unpublished(long olderThanMs, int limit) {
        return Jdbc.query(dataSource, """
                SELECT transact_id, status, order_id, message_json FROM settlement_event
                WHERE published_at IS NULL AND recorded_at <= now() - ? * interval '1 millisecond'
                ORDER BY recorded_at LIMIT ?""",
                rs -> new Publication(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                olderThanMs, limit);
    }

    // --- webhooks ---

    /** @return true when the event is new (first delivery), false for a replayed eventId */
    public boolean storeWebhook(String eventId, String type, String transactId, long signatureTimestamp, String rawBody) {
        return update("""
                INSERT INTO webhook_event (event_id, type, transact_id, signature_timestamp, raw_body)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""",
                eventId, type, transactId, signatureTimestamp, rawBody) == 1;
    }

    public Optional<StoredWebhook> unprocessedWebhook(String eventId) {
        return Jdbc.queryOne(dataSource,
                "SELECT event_id, type, transact_id, raw_body FROM webhook_event WHERE event_id = ? AND processed_at IS NULL",
                rs -> new StoredWebhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), eventId);
    }

    public List<String> unprocessedWebhooks(long olderThanMs, int limit) {
        return Jdbc.query(dataSource, """
                SELECT event_id FROM webhook_event WHERE processed_at IS NULL
                  AND received_at <= now() - ? * interval '1 millisecond' ORDER BY received_at LIMIT ?""",
                rs -> rs.getString(1), olderThanMs, limit);
    }

    public void webhookProcessed(String eventId, String outcome) {
        update("UPDATE webhook_event SET processed_at = now(), outcome = ? WHERE event_id = ? AND processed_at IS NULL",
                outcome, eventId);
    }

    // --- stuck trades ---

    /** Reads only rows reserved before the threshold (partial index order_record_stuck_idx), not every open trade. */
    public List<StuckTrade> stuck(long stuckAfterMs, int limit) {
        return Jdbc.query(dataSource, STUCK_SQL,
                rs -> new StuckTrade(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getInt(5)), stuckAfterMs, limit);
    }

    /** @return true the first time (a trade is reported once) */
    public boolean stuckReported(String orderId) {
        return update("UPDATE order_record SET stuck_reported_at = now() WHERE order_id = ? AND stuck_reported_at IS NULL",
                orderId) == 1;
    }


    private int update(String sql, Object... args) {
        return Jdbc.update(dataSource, sql, args);
    }
}
