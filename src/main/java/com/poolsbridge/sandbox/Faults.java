package com.poolsbridge.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection per operation (route = operationId, e.g. "transact"). Counted faults fire on the next n calls
 * of that route and then disarm themselves; latency faults without a count last until cleared. Before-commit
 * faults leave state untouched; after-commit faults fire only when the operation succeeded (its effects are
 * kept: trade, ledger, stored idempotency key).
 */
public final class Faults {
    public static final Set<String> ROUTES = Set.of("listPools", "getCapabilities", "getBalance", "getFunding",
            "createQuote", "getQuote", "rejectQuote", "transact", "getTransactionByQuote", "getTrade", "listTrades",
            "listLedger");
    private static final Set<Integer> SERVER_ERRORS = Set.of(500, 502, 503, 504);
    private static final int UNTIL_CLEARED = -1;

    private final Map<String, Armed> armed = new ConcurrentHashMap<>();   // key: route + "|" + mode

    /** One armed fault: how many calls it still hits (negative: until cleared) and its parameters. */
    private record Armed(AtomicInteger remaining, int status, Integer retryAfterSeconds, Duration delay) {
        boolean take() {
            return remaining.getAndUpdate(v -> v > 0 ? v - 1 : v) != 0;
        }
    }

    /** What to do after a successful operation. */
    enum AfterCommit { NONE, RESET }

    /** Every call of the route waits {@code delay} before it is processed (null or zero clears it). */
    public Faults latency(String route, Duration delay) {
        return arm(route, "latency", delay == null || delay.isZero() ? 0 : UNTIL_CLEARED, 0, null, delay);
    }

    /**
     * Every call of the route is processed, then its response waits {@code delay}: a client whose response
     * timeout is shorter gives up although the operation (e.g. the trade) took effect.
     */
    public Faults latencyAfterCommit(String route, Duration delay) {
        return arm(route, "latency_after_commit", delay == null || delay.isZero() ? 0 : UNTIL_CLEARED, 0, null, delay);
    }

    /** The next n calls fail with 500 server_error before anything is changed. */
    public Faults failBeforeCommit(String route, int n) {
        return failBeforeCommit(route, n, 500);
    }

    /** The next n calls fail with {@code status} (500, 502, 503 or 504) before anything is changed. */
    public Faults failBeforeCommit(String route, int n, int status) {
        return arm(route, "fail_before_commit", n, serverError(status), null, null);
    }

    /** The next n successful calls are fully applied, then answered with 500 server_error. */
    public Faults failAfterCommit(String route, int n) {
        return failAfterCommit(route, n, 500);
    }

    /** The next n successful calls are fully applied, then answered with {@code status} (500, 502, 503, 504). */
    public Faults failAfterCommit(String route, int n, int status) {
        return arm(route, "fail_after_commit", n, serverError(status), null, null);
    }

    /** The next n successful calls are fully applied, then the connection is dropped without a response. */
    public Faults resetAfterCommit(String route, int n) {
        return arm(route, "reset_after_commit", n, 0, null, null);
    }

    /** The next n calls get 429 rate_limited with Retry-After-short: retryAfterSeconds. */
    public Faults rateLimitBurst(String route, int n, int retryAfterSeconds) {
        return arm(route, "rate_limit_burst", n, 429, retryAfterSeconds, null);
    }

    /** The next n transacts get 409 conflict {@code reservation_conflict}; nothing is reserved. */
    public Faults reservationConflict(int n) {
        return arm("transact", "reservation_conflict", n, 409, null, null);
    }

    /**
     * The next n transacts fail with {@code status} before anything is reserved, and that response is stored
     * against their Idempotency-Key: every retry with the same key gets the same error until the key expires.
     */
    public Faults storedServerError(int n, int status) {
        return arm("transact", "stored_error", n, serverError(status), null, null);
    }

    public void clear() {
        armed.clear();
    }

    /** Applies a fault given as config/admin JSON. */
    void apply(SandboxConfig.FaultSpec spec) {
        int n = spec.count() == null ? 1 : spec.count();
        int status = spec.status() == null ? 500 : spec.status();
        String mode = spec.mode() == null ? "" : spec.mode();
        switch (mode) {
            case "latency", "latency_after_commit" -> {
                Duration delay = Duration.ofMillis(spec.latencyMs() == null ? 0 : spec.latencyMs());
                arm(spec.route(), mode, delay.isZero() ? 0 : spec.count() == null ? UNTIL_CLEARED : n, 0, null, delay);
            }
            case "fail_before_commit", "fail_after_commit" -> arm(spec.route(), mode, n, serverError(status),
                    spec.retryAfterSeconds(), null);
            case "reset_after_commit" -> resetAfterCommit(spec.route(), n);
            case "rate_limit_burst" -> rateLimitBurst(spec.route(), n,
                    spec.retryAfterSeconds() == null ? 1 : spec.retryAfterSeconds());
            case "reservation_conflict" -> {
                requireTransact(spec.route(), mode);
                reservationConflict(n);
            }
            case "stored_error" -> {
                requireTransact(spec.route(), mode);
                storedServerError(n, status);
            }
            default -> throw new IllegalArgumentException("unknown fault mode " + spec.mode()
                    + " (latency, latency_after_commit, fail_before_commit, fail_after_commit, reset_after_commit,"
                    + " rate_limit_burst, reservation_conflict, stored_error)");
        }
    }

    /** Returns the Retry-After-short seconds when a burst fault fires for this call, else null. */
    Integer takeBurst(String route) {
        Armed a = take(route, "rate_limit_burst");
        return a == null ? null : a.retryAfterSeconds();
    }

    /** Runs latency, then throws if a before-commit failure (or, on transact, a reservation conflict) is armed. */
    void beforeCommit(String route) {
        Armed slow = take(route, "latency");
        if (slow != null) {
            sleep(slow.delay());
        }
        Armed fail = take(route, "fail_before_commit");
        if (fail != null) {
            throw ApiException.serverError(fail.status(), fail.retryAfterSeconds());
        }
        if (take(route, "reservation_conflict") != null) {
            throw ApiException.conflict("reservation_conflict", "The reservation conflicts with another one; retry");
        }
    }

    /** The status to answer and store for this transact, when a stored-error fault fires; else null. */
    Integer takeStoredError(String route) {
        Armed a = take(route, "stored_error");
        return a == null ? null : a.status();
    }

    /** After a successful operation: delays, drops the connection (RESET) or throws the armed 5xx. */
    AfterCommit afterCommit(String route) {
        Armed slow = take(route, "latency_after_commit");
        if (slow != null) {
            sleep(slow.delay());
        }
        if (take(route, "reset_after_commit") != null) {
            return AfterCommit.RESET;
        }
        Armed fail = take(route, "fail_after_commit");
        if (fail != null) {
            throw ApiException.serverError(fail.status(), fail.retryAfterSeconds());
        }
        return AfterCommit.NONE;
    }

    private Faults arm(String route, String mode, int n, int status, Integer retryAfterSeconds, Duration delay) {
        if (!ROUTES.contains(route)) {
            throw new IllegalArgumentException("unknown route " + route + "; use an operationId: " + ROUTES);
        }
        armed.put(route + "|" + mode, new Armed(new AtomicInteger(n), status, retryAfterSeconds, delay));
        return this;
    }

    private Armed take(String route, String mode) {
        Armed a = armed.get(route + "|" + mode);
        return a != null && a.take() ? a : null;
    }

    private static int serverError(int status) {
        if (!SERVER_ERRORS.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + SERVER_ERRORS + ", not " + status);
        }
        return status;
    }

    private static void requireTransact(String route, String mode) {
        if (!"transact".equals(route)) {
            throw new IllegalArgumentException(mode + " applies to route transact only");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
