package com.poolsbridge.settlement;

import java.time.Instant;

/** A trade still reserved after settlement.stuck-after-ms. */
public record StuckTrade(String orderId, String quoteId, String transactId, Instant reservedAt, int pollCount) {
}
