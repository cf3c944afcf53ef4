package com.poolsbridge.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection per operation (route = operationId, e.g. "transact"). Counted faults fire on the next n calls
 * of that route and then disarm themselves. Before-commit faults leave state untouched; after-commit faults
 * fire only when the operation succeeded (its effects are kept: trade, ledger, stored idempotency key).
 */
public final class Faults {
    public static final Set<String> ROUTES = Set.of("listPools", "getCapabilities", "getBalance", "getFunding",
            "createQuote", "getQuote", "rejectQuote", "transact", "getTransactionByQuote", "getTrade", "listTrades",
            "listLedger");

    private final Map<String, RouteFaults> byRoute = new ConcurrentHashMap<>();

    private static final class RouteFaults {
        volatile Duration latency = Duration.ZERO;
        final AtomicInteger failBefore = new AtomicInteger();
        final AtomicInteger failAfter = new AtomicInteger();
        final AtomicInteger resetAfter = new AtomicInteger();
        final AtomicInteger burst = new AtomicInteger();
        volatile int burstRetryAfter = 1;
    }

    /** What to do after a successful operation. */
    enum AfterCommit { NONE, FAIL, RESET }

    public Faults latency(String route, Duration delay) {
        of(route).latency = delay == null ? Duration.ZERO : delay;
        return this;
    }

    /** The next n calls fail with 500 server_error before anything is changed. */
    public Faults failBeforeCommit(String route, int n) {
        of(route).failBefore.set(n);
        return this;
    }

    /** The next n successful calls are fully applied, then answered with 500 server_error. */
    public Faults failAfterCommit(String route, int n) {
        of(route).failAfter.set(n);
        return this;
    }

    /** The next n successful calls are fully applied, then the connection is dropped without a response. */
    public Faults resetAfterCommit(String route, int n) {
        of(route).resetAfter.set(n);
        return this;
    }

    /** The next n calls get 429 rate_limited with Retry-After-short: retryAfterSeconds. */
    public Faults rateLimitBurst(String route, int n, int retryAfterSeconds) {
        RouteFaults f = of(route);
        f.burstRetryAfter = retryAfterSeconds;
        f.burst.set(n);
        return this;
    }

    public void clear() {
        byRoute.clear();
    }

    /** Applies a fault given as config/admin JSON. */
    void apply(SandboxConfig.FaultSpec spec) {
        int n = spec.count() == null ? 1 : spec.count();
        switch (spec.mode() == null ? "" : spec.mode()) {
            case "latency" -> latency(spec.route(), Duration.ofMillis(spec.latencyMs() == null ? 0 : spec.latencyMs()));
            case "fail_before_commit" -> failBeforeCommit(spec.route(), n);
            case "fail_after_commit" -> failAfterCommit(spec.route(), n);
            case "reset_after_commit" -> resetAfterCommit(spec.route(), n);
            case "rate_limit_burst" -> rateLimitBurst(spec.route(), n,
                    spec.retryAfterSeconds() == null ? 1 : spec.retryAfterSeconds());
            default -> throw new IllegalArgumentException("unknown fault mode " + spec.mode()
                    + " (latency, fail_before_commit, fail_after_commit, reset_after_commit, rate_limit_burst)");
        }
    }

    /** Returns the Retry-After-short seconds when a burst fault fires for this call, else null. */
    Integer takeBurst(String route) {
        RouteFaults f = byRoute.get(route);
        return f != null && takeOne(f.burst) ? f.burstRetryAfter : null;
    }

    /** Runs latency, then throws 500 if a before-commit failure is armed. */
    void beforeCommit(String route) {
        RouteFaults f = byRoute.get(route);
        if (f == null) {
            return;
        }
        if (!f.latency.isZero()) {
            try {
                Thread.sleep(f.latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (takeOne(f.failBefore)) {
            throw ApiException.serverError();
        }
    }

    AfterCommit afterCommit(String route) {
        RouteFaults f = byRoute.get(route);
        if (f == null) {
            return AfterCommit.NONE;
        }
        if (takeOne(f.resetAfter)) {
            return AfterCommit.RESET;
        }
        return takeOne(f.failAfter) ? AfterCommit.FAIL : AfterCommit.NONE;
    }

    private RouteFaults of(String route) {
        if (!ROUTES.contains(route)) {
            throw new IllegalArgumentException("unknown route " + route + "; use an operationId: " + ROUTES);
        }
        return byRoute.computeIfAbsent(route, r -> new RouteFaults());
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }
}
