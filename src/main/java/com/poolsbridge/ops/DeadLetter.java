package com.poolsbridge.ops;

/**
 * One message on a dead-letter queue, as an operator sees it.
 *
 * @param code the machine-readable reason: PoolsDeadLetterCode set by order-dead-letter, or
 *             {@code broker_redelivery_exhausted} for a message the broker moved after its delivery attempts
 * @param orderId PoolsOrderId, or null when the route could not read one (bad content, broker-moved)
 */
public record DeadLetter(String queue, String messageId, String orderId, String code, String reason, String body) {

    public static final String BROKER_EXHAUSTED = "broker_redelivery_exhausted";
}
