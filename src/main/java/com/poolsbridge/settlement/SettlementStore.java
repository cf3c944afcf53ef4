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

    /** What applying an observed status did; publication is set only when a new settlement_event row was written. */
    public record Applied(Result result, String orderId, String previousStatus, Publication publication) {
    }

    /** Builds the settlement message for a new row (the store only knows the order id and previous status). */
    @FunctionalInterface
    public interface MessageFactory {
        String build(String orderId, String previousStatus);
    }

    public record StoredWebhook(String eventId, String type, String transactId, String rawBody) {
    }

    private final DataSource dataSource;

    public SettlementStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Due trades, oldest next_poll_at first; settled trades past their watch window stop being scheduled. */
    public List<DueTrade> due(int limit, long initialDelayMs) {
        update("""
                UPDATE order_record SET next_poll_at = NULL
                WHERE next_poll_at IS NOT NULL AND trade_status = 'settled' AND watch_until <= now()""");
        return Jdbc.query(dataSource, """
                SELECT order_id, quote_id, transact_id, trade_status, poll_count FROM order_record
                WHERE next_poll_at <= now() AND state = 'RESERVED' AND quote_id IS NOT NULL
                  AND (trade_status = 'reserved' OR (trade_status = 'settled' AND watch_until > now()))
                  AND (poll_count > 0 OR reserved_at <= now() - ? * interval '1 millisecond')
                ORDER BY next_poll_at LIMIT ?""",
                rs -> new DueTrade(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)),
                initialDelayMs, limit);
    }

    /**
     * A poll finished (or failed): counts it and schedules the next one from the trade's current status: reserved
     * → growing backoff (initial × multiplier^polls, capped), settled within its watch window → the watch interval,
     * anything else → no further polls.
     */
    public void polled(String orderId, String error, long initialMs, double multiplier, long maxMs, long watchIntervalMs) {
        update("""
                UPDATE order_record SET poll_count = poll_count + 1, last_polled_at = now(), last_poll_error = ?,
                    next_poll_at = CASE
                        WHEN trade_status = 'reserved'
                            THEN now() + LEAST(? * power(?::float8, LEAST(poll_count, 40)), ?) * interval '1 millisecond'
                        WHEN trade_status = 'settled' AND watch_until > now()
                            THEN now() + ? * interval '1 millisecond'
                        ELSE NULL END
                WHERE order_id = ?""",
                error == null ? null : Jdbc.truncate(error, 512), (double) initialMs, multiplier, (double) maxMs,
                (double) watchIntervalMs, orderId);
    }

    /**
     * Applies an observed trade status in one transaction: the order row is locked, only a legal forward move (or
     * the first sighting of a terminal status) changes it, and the settlement_event row is inserted alongside;
     * its primary key makes a second sighting (poll and webhook at once, a replay, a restart) a no-op.
     */
    public Applied apply(String transactId, String observed, String tradeJson, String source, String requestId,
                         String eventId, Instant occurredAt, long watchMs, MessageFactory messages) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Applied applied = applyLocked(c, transactId, observed, tradeJson, source, requestId, eventId,
                        occurredAt, watchMs, messages);
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
                                String requestId, String eventId, Instant occurredAt, long watchMs,
                                MessageFactory messages) throws SQLException {
        String orderId;
        String current;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT order_id, trade_status FROM order_record WHERE transact_id = ? AND state = 'RESERVED' FOR UPDATE")) {
            ps.setString(1, transactId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Applied(Result.UNKNOWN_TRADE, null, null, null);
                }
                orderId = rs.getString(1);
                current = rs.getString(2);
            }
        }
        String previous;
        if (observed.equals(current)) {
            if (!TradeTransitions.terminal(observed)) {
                return new Applied(Result.ALREADY, orderId, current, null);
            }
            previous = TradeTransitions.predecessor(observed);   // first seen terminal (e.g. at transact)
        } else if (TradeTransitions.legal(current, observed)) {
            previous = current;
        } else {
            return new Applied(Result.ILLEGAL, orderId, current, null);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE order_record SET trade_status = ?, trade_json = COALESCE(?, trade_json), updated_at = now(),
                    terminal_at = COALESCE(terminal_at, now()),
                    watch_until = CASE WHEN ? = 'settled' THEN COALESCE(watch_until, now() + ? * interval '1 millisecond')
                                       ELSE watch_until END,
                    next_poll_at = CASE WHEN ? = 'settled' THEN COALESCE(next_poll_at, now()) ELSE NULL END
                WHERE order_id = ?""")) {
            ps.setString(1, observed);
            ps.setString(2, tradeJson);
            ps.setString(3, observed);
            ps.setLong(4, watchMs);
            ps.setString(5, observed);
            ps.setString(6, orderId);
            ps.executeUpdate();
        }
        String json = messages.build(orderId, previous);
        int inserted;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO settlement_event (transact_id, status, order_id, previous_status, source, request_id,
                    event_id, occurred_at, message_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transact_id, status) DO NOTHING""")) {
            ps.setString(1, transactId);
            ps.setString(2, observed);
            ps.setString(3, orderId);
            ps.setString(4, previous);
            ps.setString(5, source);
            ps.setString(6, requestId);
            ps.setString(7, eventId);
            ps.setTimestamp(8, Timestamp.from(occurredAt));
            ps.setString(9, json);
            inserted = ps.executeUpdate();
        }
        return inserted == 1
                ? new Applied(Result.APPLIED, orderId, previous, new Publication(transactId, observed, orderId, json))
                : new Applied(Result.ALREADY, orderId, current, null);
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

    public List<StuckTrade> stuck(long stuckAfterMs, int limit) {
        return Jdbc.query(dataSource, """
                SELECT order_id, quote_id, transact_id, reserved_at, poll_count FROM order_record
                WHERE state = 'RESERVED' AND trade_status = 'reserved' AND stuck_reported_at IS NULL
                  AND reserved_at <= now() - ? * interval '1 millisecond' ORDER BY reserved_at LIMIT ?""",
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
