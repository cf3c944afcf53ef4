package com.poolsbridge.settlement;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Operator settings of the settlement poller and webhook processing (config/application.properties).
 *
 * @param watchPolls fallback status polls of a settled trade, as offsets after it settled (only those inside
 *                   the watch window count); empty when the returned read alone is trusted
 */
public record SettlementSettings(int batchSize, long initialDelayMs, long backoffInitialMs, double backoffMultiplier,
                                 long backoffMaxMs, long watchMs, List<Duration> watchPolls, long stuckAfterMs,
                                 long republishAfterMs, long webhookRetryAfterMs) {

    /** The offsets in milliseconds, comma-separated, for SQL (string_to_array). */
    public String watchPollsCsv() {
        return watchPolls.stream().map(d -> String.valueOf(d.toMillis())).collect(Collectors.joining(","));
    }
}
