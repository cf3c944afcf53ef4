package com.poolsbridge.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.poolsbridge.infra.Jdbc;

/**
 * Table order_record: one row per bank order, updated at each step. Every write is its own short transaction,
 * committed before the 0Pools call it prepares, so a crash at any point leaves a record that tells the next
 * delivery exactly where to resume. Writes that the flow continues from return the row they wrote
 * ({@code UPDATE … RETURNING *}) instead of reading it again.
 */
public class OrderRecords {

    private final DataSource dataSource;

    public OrderRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the order on first sight (one statement: the insert, or the stored fingerprint of an earlier
     * one). The same orderId with other terms is refused: a reused id must never be mistaken for a redelivery.
     */
    public void register(OrderMessage order) {
        String fingerprint = order.fingerprint();
        String stored = Jdbc.queryOne(dataSource, """
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network,
                    dest_address, dest_network, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED')
                ON CONFLICT (order_id) DO UPDATE SET payload_sha256 = order_record.payload_sha256
                RETURNING payload_sha256""",
                rs -> rs.getString(1), order.orderId(), fingerprint, order.poolId(), order.side(), order.amount(),
                order.cryptoNetwork(), order.destAddress(), order.destNetwork()).orElseThrow();
        if (!fingerprint.equals(stored)) {
            throw new InvalidOrderException("order_id_reused",
                    "orderId " + order.orderId() + " was already used for an order with other terms");
        }
    }

    public Optional<OrderRecord> find(String orderId) {
        return Jdbc.queryOne(dataSource, "SELECT * FROM order_record WHERE order_id = ?", OrderRecords::map, orderId);
    }

    public OrderRecord get(String orderId) {
        return find(orderId).orElseThrow(() -> new IllegalStateException("no order record " + orderId));
    }

    public void recordCapabilitiesChecked(String orderId, String requestId) {
        update("UPDATE order_record SET capabilities_request_id = ?, updated_at = now() WHERE order_id = ?",
                requestId, orderId);
    }

    /** A new quote attempt starts: the previous quote (if any) provably produced no trade. */
    public OrderRecord startQuoteAttempt(String orderId) {
        return returning("""
                UPDATE order_record SET quote_attempt = quote_attempt + 1, quote_id = NULL, quote_expires_at = NULL,
                    idempotency_key = NULL, state = 'RECEIVED', updated_at = now() WHERE order_id = ?
                RETURNING *""", orderId);
    }

    /** Quote and key are committed together, before the first transact call goes out. */
    public OrderRecord recordQuote(String orderId, String quoteId, Instant expiresAt, String quoteJson,
                                   String requestId, String idempotencyKey) {
        return returning("""
                UPDATE order_record SET state = 'TRANSACTING', quote_id = ?, quote_expires_at = ?, quote_json = ?,
                    quote_request_id = ?, last_request_id = ?, idempotency_key = ?, quoted_at = now(), updated_at = now()
                WHERE order_id = ?
                RETURNING *""",
                quoteId, Timestamp.from(expiresAt), quoteJson, requestId, requestId, idempotencyKey, orderId);
    }

    public OrderRecord recordReserved(String orderId, String transactId, String tradeStatus, String tradeJson,
                                      String requestId, String replyJson) {
        return returning("""
                UPDATE order_record SET state = 'RESERVED', transact_id = ?, trade_status = ?, trade_json = ?,
                    transact_request_id = COALESCE(?, transact_request_id), last_request_id = COALESCE(?, last_request_id),
                    reply_json = ?, reserved_at = now(), completed_at = now(), updated_at = now(),
                    next_poll_at = COALESCE(next_poll_at, now())
                WHERE order_id = ?
                RETURNING *""",
                transactId, tradeStatus, tradeJson, requestId, requestId, replyJson, orderId);
    }

    public OrderRecord recordRejected(String orderId, Rejection rejection, String replyJson) {
        return returning("""
                UPDATE order_record SET state = 'REJECTED', reject_source = ?, reject_status = ?, reject_type = ?,
                    reject_code = ?, reject_message = ?, last_request_id = COALESCE(?, last_request_id), reply_json = ?,
                    completed_at = now(), updated_at = now()
                WHERE order_id = ?
                RETURNING *""",
                rejection.source(), rejection.status(), rejection.type(), rejection.code(),
                Jdbc.truncate(rejection.message(), 512), rejection.requestId(), replyJson, orderId);
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
     * Claims the order for this consumer until the lease ends, and returns the claimed row. The outcome is
     * CLAIMED, DONE (its reply is at the broker), or BUSY (leased by another delivery, perhaps one that
     * crashed: the lease then runs out). The delivery that answers keeps the lease until its reply is sent, so
     * a copy of the order can never send a second reply while the first is still on its way.
     */
    public Claimed claim(String orderId, String owner, long leaseMillis) {
        List<OrderRecord> claimed = Jdbc.query(dataSource, """
                UPDATE order_record SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond'),
                    deliveries = deliveries + 1, updated_at = now()
                WHERE order_id = ? AND reply_sent_at IS NULL AND (lease_until IS NULL OR lease_until < now())
                RETURNING *""", OrderRecords::map, owner, leaseMillis, orderId);
        if (!claimed.isEmpty()) {
            return new Claimed(Claim.CLAIMED, claimed.get(0));
        }
        return new Claimed(get(orderId).replySent() ? Claim.DONE : Claim.BUSY, null);
    }

    /** The reply is at the broker (the send returned): from now on copies of the order are plain duplicates. */
    public void replySent(String orderId) {
        update("UPDATE order_record SET reply_sent_at = now(), updated_at = now() WHERE order_id = ? AND reply_sent_at IS NULL",
                orderId);
    }

    /**
     * Before each 0Pools call for the order, in one statement: extends the lease if this owner still holds it
     * and counts the call. False when another delivery has taken the order over (nothing is counted then).
     */
    public boolean renewForCall(String orderId, String owner, long leaseMillis) {
        return update("""
                UPDATE order_record SET lease_until = now() + (? * interval '1 millisecond'),
                    pools_calls = pools_calls + 1, updated_at = now()
                WHERE order_id = ? AND lease_owner = ?""", leaseMillis, orderId, owner) == 1;
    }

    public void release(String orderId, String owner) {
        update("UPDATE order_record SET lease_owner = NULL, lease_until = NULL WHERE order_id = ? AND lease_owner = ?",
                orderId, owner);
    }

    public enum Claim { CLAIMED, DONE, BUSY }

    /** What {@link #claim} found; {@code record} is the claimed row (CLAIMED only). */
    public record Claimed(Claim claim, OrderRecord record) {
    }

    private OrderRecord returning(String sql, Object... args) {
        return Jdbc.queryOne(dataSource, sql, OrderRecords::map, args)
                .orElseThrow(() -> new IllegalStateException("no order record " + args[args.length - 1]));
    }

    private int update(String sql, Object... args) {
        return Jdbc.update(dataSource, sql, args);
    }

    private static OrderRecord map(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("quote_expires_at");
        return new OrderRecord(rs.getString("order_id"), rs.getString("pool_id"), rs.getString("side"),
                rs.getBigDecimal("amount"), rs.getString("crypto_network"), rs.getString("dest_address"),
                rs.getString("dest_network"), OrderState.valueOf(rs.getString("state")), rs.getInt("quote_attempt"),
                rs.getString("quote_id"), expires == null ? null : expires.toInstant(),
                rs.getString("idempotency_key"), rs.getString("transact_id"), rs.getString("trade_status"),
                rs.getString("reply_json"), rs.getTimestamp("reply_sent_at") != null);
    }
}
