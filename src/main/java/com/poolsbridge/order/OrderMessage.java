package com.poolsbridge.order;

import java.math.BigDecimal;

/** A validated order from core banking (see schemas/order.schema.json). */
public record OrderMessage(String orderId, String poolId, String side, BigDecimal amount, String cryptoNetwork,
                           String destAddress, String destNetwork) {
}
