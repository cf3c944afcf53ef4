package com.poolsbridge.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Idempotency-Key records for transact (G-14): scope (partner, route, key), fingerprint = path + canonical body.
 * A key is claimed (in flight) while the operation runs; only 2xx outcomes are stored, for the retention period.
 */
final class IdempotencyStore {
    private final Duration retention;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        final String fingerprint;
        final Instant createdAt;
        boolean inFlight = true;
        int status;
        byte[] body;

        Entry(String fingerprint, Instant createdAt) {
            this.fingerprint = fingerprint;
            this.createdAt = createdAt;
        }
    }

    /** Either a stored response to replay, or null meaning "claimed: run the operation". */
    record Replay(int status, byte[] body) {
    }

    IdempotencyStore(Duration retention) {
        this.retention = retention;
    }

    synchronized Replay claim(String scope, String fingerprint, Instant now) {
        Entry e = entries.get(scope);
        if (e != null && !e.inFlight && !now.isBefore(e.createdAt.plus(retention))) {
            entries.remove(scope);   // retention over: the key is forgotten
            e = null;
        }
        if (e == null) {
            entries.put(scope, new Entry(fingerprint, now));
            return null;
        }
        if (e.inFlight) {
            throw ApiException.conflict("operation_in_progress", "Operation already in progress");
        }
        if (!e.fingerprint.equals(fingerprint)) {
            throw ApiException.conflict("idempotency_key_reused",
                    "Idempotency-Key was already used with a different request body");
        }
        return new Replay(e.status, e.body);
    }

    synchronized void complete(String scope, int status, byte[] body) {
        Entry e = entries.get(scope);
        if (e == null) {
            return;
        }
        if (status >= 200 && status < 300) {
            e.inFlight = false;
            e.status = status;
            e.body = body;
        } else {
            entries.remove(scope);   // errors are not cached: a retry re-executes
        }
    }
}
