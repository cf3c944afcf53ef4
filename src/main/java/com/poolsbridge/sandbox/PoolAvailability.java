package com.poolsbridge.sandbox;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run-time availability of each pool: an operator (test, admin endpoint) can take a pool's pricing offline while
 * the sandbox runs; quotes then answer 200 {@code available:false} with the reason, discovery shows it unavailable.
 */
final class PoolAvailability {
    static final Set<String> REASONS = Set.of("rate_unavailable", "pool_dry", "engine_unavailable");
    private final SandboxConfig config;
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();   // pool id → unavailableReason

    PoolAvailability(SandboxConfig config) {
        this.config = config;
        config.pools().stream().filter(p -> !p.available()).forEach(p -> unavailable.put(p.id(), "rate_unavailable"));
    }

    /** The pool's unavailableReason, or null while it is available. */
    String reason(String poolId) {
        return unavailable.get(poolId);
    }

    void set(String poolId, boolean available, String reason) {
        if (config.pool(poolId) == null) {
            throw new IllegalArgumentException("unknown pool " + poolId);
        }
        if (available) {
            unavailable.remove(poolId);
            return;
        }
        String r = reason == null ? "rate_unavailable" : reason;
        if (!REASONS.contains(r)) {
            throw new IllegalArgumentException("unavailableReason must be one of " + REASONS);
        }
        unavailable.put(poolId, r);
    }
}
