package com.poolsbridge.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Idempotency-Key records for transact (G-14): scope (partner, route, key), fingerprint = path + canonical body.
 * A key is claimed (in flight) while the operation runs; the outcome the caller chooses to keep (2xx, and errors
 * per {@code idempotencyStoreErrors} or a stored-error fault) is replayed for the retention period with its
 * original status, body and X-Request-Id.
 */
final class IdempotencyStore {
    private final Duration retention;
    private final Map<String, Entry> entries = new HashMap<>();

    private static final class Entry {
        final String fingerprint;
        final Instant createdAt;
        boolean inFlight = true;
        Reply reply;

        Entry(String fingerprint, Instant createdAt) {
            this.fingerprint = fingerprint;
            this.createdAt = createdAt;
        }
    }

    IdempotencyStore(Duration retention) {
        this.retention = retention;
    }

    /** Either the stored response to replay, or null meaning "claimed: run the operation". */
    synchronized Reply claim(String scope, String fingerprint, Instant now) {
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
        return e.reply;
    }

    /** Stores the outcome to replay, or (null) forgets the key so that a retry re-executes. */
    synchronized void complete(String scope, Reply keep) {
        Entry e = entries.get(scope);
        if (e == null) {
            return;
        }
        if (keep != null) {
            e.inFlight = false;
            e.reply = keep;
        } else {
            entries.remove(scope);
        }
    }
}
