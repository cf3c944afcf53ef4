package com.poolsbridge.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.poolsbridge.infra.Jdbc;

/**
 * Table order_record: one row per bank order, updated at each step. Every write is its own short transaction,
 * committed before the 0Pools call it prepares, so a crash at any point leaves a record that tells the next
 * delivery exactly where to resume. Writes that the flow continues from return the row they wrote
 * ({@code UPDATE … RETURNING} {@link #RECORD}) instead of reading it again.
 */
public class OrderRecords {

    /**
     * What an {@link OrderRecord} is read from, in the order {@link #map} reads it: the 20 of the table's columns it
     * holds (not its ~45), the timestamps as epoch microseconds and the reply's send as a flag, so the driver builds
     * no column-name index and no calendar per row (a record is read five times per order).
     */
    private static final String RECORD = """
            order_id, pool_id, side, amount, crypto_network, dest_address, dest_network, state, quote_attempt, quote_id,
            (EXTRACT(EPOCH FROM quote_expires_at) * 1000000)::bigint AS quote_expires_us, idempotency_key, transact_id,
            trade_status, reply_json, reply_sent_at IS NOT NULL AS reply_sent,
            (EXTRACT(EPOCH FROM deadline_at) * 1000000)::bigint AS deadline_us, transact_calls, payload_sha256, quote_json""";

    private final DataSource dataSource;

    public OrderRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a message that could not be read as an order under its orderId, with its rejection reply. Returns
     * the record when the orderId is this message's (first sight, or a copy of the same bytes), empty when the
     * orderId belongs to another order: that order keeps its own single reply.
     */
    public Optional<OrderRecord> registerInvalid(String orderId, String fingerprint, Rejection rejection,
                                                 String replyJson) {
        return Jdbc.queryOne(dataSource, """
                INSERT INTO order_record (order_id, payload_sha256, state, reject_source, reject_code, reject_message,
                    reply_json, completed_at)
                VALUES (?, ?, 'INVALID', ?, ?, ?, ?, now())
                ON CONFLICT (order_id) DO UPDATE SET updated_at = order_record.updated_at
                RETURNING
                """ + RECORD, OrderRecords::map, orderId, fingerprint, rejection.source(), rejection.code(),
                Jdbc.truncate(rejection.message(), 512), replyJson)
                .filter(record -> record.state() == OrderState.INVALID && fingerprint.equals(record.fingerprint()));
    }

    public Optional<OrderRecord> find(String orderId) {
        return Jdbc.queryOne(dataSource, "SELECT " + RECORD + " FROM order_record WHERE order_id = ?", OrderRecords::map,
                orderId);
    }

    public OrderRecord get(String orderId) {
        return find(orderId).orElseThrow(() -> new IllegalStateException("no order record " + orderId));
    }

    public void recordCapabilitiesChecked(String orderId, String requestId) {
        update("UPDATE order_record SET capabilities_request_id = ?, updated_at = now() WHERE order_id = ?",
                requestId, orderId);
    }

    /**
     * A new quote attempt starts: the previous quote provably produced no trade ({@code retiredAs} says how:
     * it expired unused, or our reject of it succeeded). The old quote and key move to order_quote_history.
     */
    public OrderRecord startQuoteAttempt(String orderId, String retiredAs) {
        return returning("""
                WITH retired AS (
                    INSERT INTO order_quote_history (quote_id, order_id, quote_attempt, idempotency_key,
                        quote_expires_at, transact_calls, retired_as)
                    SELECT quote_id, order_id, quote_attempt, idempotency_key, quote_expires_at, transact_calls, ?
                    FROM order_record WHERE order_id = ? AND quote_id IS NOT NULL)
                UPDATE order_record SET quote_attempt = quote_attempt + 1, quote_id = NULL, quote_expires_at = NULL,
                    idempotency_key = NULL, transact_calls = 0, state = 'RECEIVED', updated_at = now()
                WHERE order_id = ?
                RETURNING
                """ + RECORD, retiredAs, orderId, orderId);
    }

    /** A firm quote as 0Pools answered it, with the key its transact will use. */
    public record FirmQuote(String quoteId, Instant expiresAt, String json, String requestId, String idempotencyKey) {
    }

    /**
     * Quote and key are committed together, before the first transact call goes out, and in the same statement
     * (OrderClaims.recordQuote) the lease of {@code owner} is extended and, when it goes out at once, the quote's
     * transact is counted, as {@link #renewForCall} would before that call. Empty when another delivery has taken
     * the order over.
     */
    public Optional<OrderRecord> recordQuote(String orderId, String owner, long leaseMillis, FirmQuote quote,
                                             boolean countTransact) {
        return Jdbc.queryOne(dataSource, """
                UPDATE order_record SET state = 'TRANSACTING', quote_id = ?, quote_expires_at = ?, quote_json = ?,
                    quote_request_id = ?, last_request_id = ?, idempotency_key = ?, quoted_at = now(), updated_at = now(),
                    lease_until = now() + (? * interval '1 millisecond'),
                    transact_calls = transact_calls + CASE WHEN ? THEN 1 ELSE 0 END
                WHERE order_id = ? AND lease_owner = ?
                RETURNING
                """ + RECORD, OrderRecords::map,
                quote.quoteId(), Timestamp.from(quote.expiresAt()), quote.json(), quote.requestId(), quote.requestId(),
                quote.idempotencyKey(), leaseMillis, countTransact, orderId, owner);
    }

    public OrderRecord recordReserved(String orderId, String transactId, String tradeStatus, String tradeJson,
                                      String requestId, String replyJson) {
        return returning("""
                UPDATE order_record SET state = 'RESERVED', transact_id = ?, trade_status = ?, trade_json = ?,
                    transact_request_id = COALESCE(?, transact_request_id), last_request_id = COALESCE(?, last_request_id),
                    reply_json = ?, reserved_at = now(), completed_at = now(), updated_at = now(),
                    next_poll_at = COALESCE(next_poll_at, now())
                WHERE order_id = ?
                RETURNING
                """ + RECORD,
                transactId, tradeStatus, tradeJson, requestId, requestId, replyJson, orderId);
    }

    /** Rejected: what the order counted against its side's daily cap (MoneyGuardrails) is released. */
    public OrderRecord recordRejected(String orderId, Rejection rejection, String replyJson) {
        return Jdbc.queryOne(dataSource, """
                WITH before AS (SELECT order_id, state, side, amount, cap_counted_at FROM order_record
                                WHERE order_id = ? FOR UPDATE),
                     released AS (UPDATE daily_cap_usage u SET amount = u.amount - before.amount FROM before
                                  WHERE before.cap_counted_at IS NOT NULL AND before.state NOT IN ('REJECTED', 'INVALID')
                                    AND u.side = before.side AND u.minute = date_trunc('minute', before.cap_counted_at)),
                     rejected AS (UPDATE order_record r SET state = 'REJECTED', reject_source = ?, reject_status = ?,
                                      reject_type = ?, reject_code = ?, reject_message = ?,
                                      last_request_id = COALESCE(?, last_request_id), reply_json = ?,
                                      completed_at = now(), updated_at = now()
                                  FROM before WHERE r.order_id = before.order_id
                                  RETURNING r.*)
                SELECT
                """ + RECORD + " FROM rejected", OrderRecords::map,
                orderId, rejection.source(), rejection.status(), rejection.type(), rejection.code(),
                Jdbc.truncate(rejection.message(), 512), rejection.requestId(), replyJson)
                .orElseThrow(() -> new IllegalStateException("no order record " + orderId));
    }

    /**
     * Dead-lettered: kept resumable (its quote and key stay), so a re-driven message continues safely. A no-op
     * for an order that was never registered (its message failed validation).
     */
    public void recordFailed(String orderId, String reason, String requestId) {
        update("""
                UPDATE order_record SET state = CASE WHEN state IN ('RESERVED','REJECTED') THEN state ELSE 'FAILED' END,
                    failure_reason = ?, last_request_id = COALESCE(?, last_request_id), updated_at = now()
                WHERE order_id = ?""", Jdbc.truncate(reason, 512), requestId, orderId);
    }

    /**
     * Registers the order on first sight and claims it for this consumer until the lease ends, in one statement,
     * and returns the claimed row. The outcome is CLAIMED, DONE (its reply is at the broker), or BUSY (leased by
     * another delivery, perhaps one that crashed: the lease then runs out). The delivery that answers keeps the
     * lease until its reply is sent, so a copy of the order can never send a second reply while the first is
     * still on its way. The same orderId with other terms is refused: a reused id must never be mistaken for a
     * redelivery. The deadline of the first copy stays.
     */
    public Claimed claim(OrderMessage order, Instant deadline, String owner, long leaseMillis) {
        String fingerprint = order.fingerprint();
        // a first sight is inserted already claimed; an order seen before is claimed by the update (it cannot
        // see a row inserted by the same statement, so at most one of the two returns a row)
        List<OrderRecord> claimed = Jdbc.query(dataSource, """
                WITH registered AS (
                    INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network,
                        dest_address, dest_network, state, deadline_at, lease_owner, lease_until, deliveries)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED', ?, ?, now() + (? * interval '1 millisecond'), 1)
                    ON CONFLICT (order_id) DO NOTHING
                    RETURNING *),
                claimed AS (
                    UPDATE order_record SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond'),
                        deliveries = deliveries + 1, updated_at = now()
                    WHERE order_id = ? AND payload_sha256 = ? AND reply_sent_at IS NULL
                      AND (lease_until IS NULL OR lease_until < now())
                    RETURNING *)
                SELECT
                """ + RECORD + " FROM registered UNION ALL SELECT " + RECORD + " FROM claimed",
                OrderRecords::map,
                order.orderId(), fingerprint, order.poolId(), order.side(), order.amount(), order.cryptoNetwork(),
                order.destAddress(), order.destNetwork(), deadline == null ? null : Timestamp.from(deadline), owner,
                leaseMillis, owner, leaseMillis, order.orderId(), fingerprint);
        if (!claimed.isEmpty()) {
            return new Claimed(Claim.CLAIMED, claimed.get(0), 0);
        }
        Seen seen = Jdbc.queryOne(dataSource, """
                SELECT payload_sha256, reply_sent_at IS NOT NULL,
                    GREATEST(0, CEIL(EXTRACT(EPOCH FROM (lease_until - now())) * 1000))::BIGINT
                FROM order_record WHERE order_id = ?""",
                rs -> new Seen(rs.getString(1), rs.getBoolean(2), rs.getLong(3)), order.orderId())
                .orElseThrow(() -> new IllegalStateException("no order record " + order.orderId()));
        if (!fingerprint.equals(seen.fingerprint())) {
            throw new InvalidOrderException("order_id_reused",
                    "orderId " + order.orderId() + " was already used for an order with other terms");
        }
        return seen.replySent() ? new Claimed(Claim.DONE, null, 0) : new Claimed(Claim.BUSY, null, seen.leaseLeftMillis());
    }

    /** What an order seen before, and not claimed now, holds. */
    private record Seen(String fingerprint, boolean replySent, long leaseLeftMillis) {
    }

    /**
     * The replies of these orders were sent and their JMS transactions committed (ReplyMarks): copies of the
     * orders are plain duplicates from now on. Written after the commit, never before: a crash in between leaves
     * the stored reply to be sent again (the broker drops the copy by its duplicate id), never an
     * answered-looking order whose reply was rolled back. The same statement ends the leases (OrderClaims.confirm
     * leaves that to this one).
     */
    public void markRepliesSent(List<String> orderIds) {
        update("""
                UPDATE order_record SET reply_sent_at = COALESCE(reply_sent_at, now()), lease_owner = NULL,
                    lease_until = NULL, updated_at = now()
                WHERE order_id = ANY (?)""", (Object) orderIds.toArray(String[]::new));
    }

    /** The database answers (the order circuit breaker's half-open check). */
    public boolean ping() {
        return Jdbc.queryOne(dataSource, "SELECT 1", rs -> rs.getInt(1) == 1).orElse(false);
    }

    /**
     * Before a 0Pools call for the order (OrderClaims.renew says which), in one statement: extends the lease if
     * this owner still holds it, counts the call in pools_calls and, before a transact, counts it for the held
     * quote (committed before the call goes out). Empty when another delivery has taken the order over (nothing
     * is written then).
     */
    public Optional<OrderRecord> renewForCall(String orderId, String owner, long leaseMillis, boolean transact) {
        return Jdbc.queryOne(dataSource, """
                UPDATE order_record SET lease_until = now() + (? * interval '1 millisecond'),
                    pools_calls = pools_calls + 1, updated_at = now(),
                    transact_calls = transact_calls + CASE WHEN ? THEN 1 ELSE 0 END
                WHERE order_id = ? AND lease_owner = ?
                RETURNING
                """ + RECORD, OrderRecords::map, leaseMillis, transact, orderId, owner);
    }

    public void release(String orderId, String owner) {
        update("UPDATE order_record SET lease_owner = NULL, lease_until = NULL WHERE order_id = ? AND lease_owner = ?",
                orderId, owner);
    }

    public enum Claim { CLAIMED, DONE, BUSY }

    /**
     * What {@link #claim} found; {@code record} is the claimed row (CLAIMED only), {@code leaseLeftMillis} how
     * long the other delivery's lease still runs (BUSY only).
     */
    public record Claimed(Claim claim, OrderRecord record, long leaseLeftMillis) {
    }

    private OrderRecord returning(String sql, Object... args) {
        return Jdbc.queryOne(dataSource, sql, OrderRecords::map, args)
                .orElseThrow(() -> new IllegalStateException("no order record " + args[args.length - 1]));
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(dataSource, sql, args);
    }

    private static OrderRecord map(ResultSet rs) throws SQLException {
        return new OrderRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4), rs.getString(5),
                rs.getString(6), rs.getString(7), OrderState.valueOf(rs.getString(8)), rs.getInt(9), rs.getString(10),
                instant(rs, 11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                rs.getBoolean(16), instant(rs, 17), rs.getInt(18), rs.getString(19), rs.getString(20));
    }

    /** A timestamp of {@link #RECORD}, read as epoch microseconds. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
