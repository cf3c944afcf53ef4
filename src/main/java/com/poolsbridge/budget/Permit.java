package com.poolsbridge.budget;

import java.time.Instant;

import com.poolsbridge.pools.PoolsRequest;

/**
 * The answer of the partner budget to one call (exchange property poolsPermit): granted, or how long to wait
 * before asking again. A waiting call keeps its first refusal time, which is how starvation is measured.
 *
 * @param id     the permit's row (0 when refused)
 * @param sentAt the permit's time (what the server's answer to this call is compared with)
 * @param held   the permit held for the call that must follow (a quote's transact), or null
 */
public record Permit(PoolsRequest request, boolean granted, long waitMillis, Instant waitingSince, boolean starved,
                     long id, Instant sentAt, Held held) {

    /** A permit held for a follow-up call until {@code until}. */
    public record Held(long id, Instant until) {
    }
}
