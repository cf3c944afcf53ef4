package com.poolsbridge.order;

import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;

/**
 * Describes a dead letter (the route sets it as headers beside the original bytes) and marks the order record
 * failed but resumable, so an operator can re-drive the message.
 */
public class DeadLetters {

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
        if (order != null) {
            records.recordFailed(order.orderId(), reason, requestId);
        }
        return new DeadLetter(reason, codeOf(cause), attempts == null ? 1 : attempts.count(), requestId,
                order == null ? null : order.orderId());
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
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
}
