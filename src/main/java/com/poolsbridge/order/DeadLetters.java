package com.poolsbridge.order;

import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes a dead letter (the route sets it as headers beside the original bytes) and marks the order record
 * failed but resumable, so an operator can re-drive the message.
 */
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** The reason an order message was dead-lettered, as the DLQ headers carry it. */
    public record DeadLetter(String reason, String code, int attempts, String requestId, String orderId) {
    }

    private final OrderRecords records;

    public DeadLetters(OrderRecords records) {
        this.records = records;
    }

    /**
     * @param attempts the last 0Pools call's attempts (Camel drops its redelivery headers before the failure
     *                 processor, so pools-api counts them), or null when no call was made
     * @param lastRequestId X-Request-Id of the last 0Pools answer, used when the failure carries none
     */
    public DeadLetter describe(Exception failure, OrderMessage order, PoolsRequest.Attempts attempts,
                               String lastRequestId) {
        Exception cause = OrderFailures.decisive(failure);
        String requestId = cause instanceof PoolsApiException p ? p.requestId() : lastRequestId;
        String reason = cause == null ? "unknown" : cause.getMessage();
        // a message refused for its content is not the order its orderId names (that one may be in flight)
        if (order != null && !(cause instanceof InvalidOrderException)) {
            recordFailed(order.orderId(), reason, requestId);
        }
        return new DeadLetter(reason, codeOf(cause), attempts == null ? 1 : attempts.count(), requestId,
                order == null ? null : order.orderId());
    }

    /** Best effort: the dead letter itself (with its reason) must go out even while the database is down. */
    private void recordFailed(String orderId, String reason, String requestId) {
        try {
            records.recordFailed(orderId, reason, requestId);
        } catch (RuntimeException e) {
            LOG.warn("order {}: could not mark its record failed ({}); its dead letter carries the reason", orderId,
                    e.getMessage());
        }
    }

    private static String codeOf(Exception cause) {
        if (cause instanceof InvalidOrderException invalid) {
            return invalid.code();
        }
        if (cause instanceof PoolsApiException pools) {
            return pools.code();
        }
        if (cause instanceof OrderStuckException) {
            return "order_stuck";
        }
        if (cause instanceof TradeMismatchException) {
            return "trade_mismatch";
        }
        if (cause instanceof OutcomeUnknownException) {
            return "outcome_unknown";
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
}
