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

    /**
     * Short, without the request's body: Camel's simple language builds this string every time a comparison with
     * the permit is false ({@code ${exchangeProperty.poolsPermit} == null} in pools-api, twice per order).
     */
    @Override
    public String toString() {
        return "Permit[" + id + (granted ? ", granted" : ", wait " + waitMillis + " ms") + ", "
                + (request == null ? null : request.operation()) + "]";
    }

    /** From the permit's row (equal permits have equal rows): hashed by Camel's bean language on every read of it. */
    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    /** A permit held for a follow-up call until {@code until}. */
    public record Held(long id, Instant until) {
    }
}
