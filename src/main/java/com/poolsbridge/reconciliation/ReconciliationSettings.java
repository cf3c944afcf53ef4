package com.poolsbridge.reconciliation;

import java.time.Duration;
import java.util.Set;

/** The reconciliation.* properties (config/application.properties, last section). */
public record ReconciliationSettings(String walkName, int tradesPageSize, int ledgerPageSize, int maxPagesPerTick,
                                     Duration recheckWindow, Duration returnedWindow,
                                     Set<String> ledgerSides, Duration lease, int publishBatch) {
}
