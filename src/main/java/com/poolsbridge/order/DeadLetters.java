package com.poolsbridge.order;

import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsCall;
import com.poolsbridge.pools.PoolsResponses;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Prepares a dead letter: the original body stays byte for byte (useOriginalBody), every inbound header is
 * dropped (a forged Camel header must not steer the DLQ send), and the reason travels as headers.
 */
public class DeadLetters {

    private final OrderRecords records;

    public DeadLetters(OrderRecords records) {
        this.records = records;
    }

    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // Camel drops its redelivery headers before the failure processor: pools-api counts the attempts itself
        int attempts = Math.max(1, exchange.getProperty(PoolsCall.ATTEMPTS, 0, Integer.class));
        Object deliveries = message.getHeader("JMSXDeliveryCount");
        OrderMessage order = exchange.getProperty(OrderValidator.ORDER, OrderMessage.class);
        String requestId = cause instanceof PoolsApiException p ? p.requestId()
                : exchange.getProperty(PoolsResponses.REQUEST_ID, String.class);
        String reason = cause == null ? "unknown" : cause.getMessage();
        if (order != null && records.find(order.orderId()).isPresent()) {
            records.recordFailed(order.orderId(), reason, requestId);
        }
        message.removeHeaders("*");
        message.setHeader("PoolsDeadLetterReason", reason);
        message.setHeader("PoolsDeadLetterCode", codeOf(cause));
        message.setHeader("PoolsDeadLetterRoute", exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class));
        message.setHeader("PoolsDeadLetterAttempts", attempts);
        if (deliveries != null) {
            message.setHeader("PoolsDeliveryCount", deliveries);
        }
        if (requestId != null) {
            message.setHeader("PoolsRequestId", requestId);
        }
        if (order != null) {
            message.setHeader("PoolsOrderId", order.orderId());
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
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
}
