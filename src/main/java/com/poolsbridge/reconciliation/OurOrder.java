package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

/** What order_record says about one order, as far as reconciliation needs it. */
public record OurOrder(String orderId, String poolId, String side, BigDecimal amount, String state, String quoteId,
                       String transactId, String tradeStatus, Instant reservedAt, String tradeJson) {
}
