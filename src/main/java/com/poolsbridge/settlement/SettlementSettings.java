package com.poolsbridge.settlement;

/** Operator settings of the settlement poller and webhook processing (config/application.properties). */
public record SettlementSettings(int batchSize, long initialDelayMs, long backoffInitialMs, double backoffMultiplier,
                                 long backoffMaxMs, long watchMs, long watchIntervalMs, long stuckAfterMs,
                                 long republishAfterMs, long webhookRetryAfterMs) {
}
