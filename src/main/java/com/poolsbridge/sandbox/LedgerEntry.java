package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One balance movement (§8.3); id is the ledger cursor. */
record LedgerEntry(String id, long seq, BigDecimal delta, String reason, String ref, Instant createdAt) {
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delta", delta.toPlainString());
        m.put("reason", reason);
        m.put("ref", ref);
        m.put("createdAt", Money.time(createdAt));
        return m;
    }
}
