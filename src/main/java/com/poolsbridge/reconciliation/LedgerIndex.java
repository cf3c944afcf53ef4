package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The 0Pools ledger of one walk, indexed by ref (= quoteId for buys, contract §8.3/§8.4). Deltas are summed
 * per ref and reason as BigDecimal; an entry without a parsable delta is kept as malformed, never as zero.
 */
public final class LedgerIndex {

    public record Totals(int debits, BigDecimal debit, int refunds, BigDecimal refund) {
        static final Totals NONE = new Totals(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

        public boolean any() {
            return debits + refunds > 0;
        }
    }

    private final Map<String, Totals> byRef = new HashMap<>();
    private final Instant walkStartedAt;
    private int entries;
    private int malformed;

    public LedgerIndex(Instant walkStartedAt) {
        this.walkStartedAt = walkStartedAt;
    }

    public void add(JsonNode entry) {
        entries++;
        String ref = entry.path("ref").asText(null);
        String reason = entry.path("reason").asText("");
        BigDecimal delta;
        try {
            delta = new BigDecimal(entry.path("delta").asText());
        } catch (NumberFormatException e) {
            malformed++;
            return;
        }
        if (ref == null || !(reason.equals("buy_debit") || reason.equals("buy_refund"))) {
            return; // payin_credit and other movements do not join to a trade
        }
        Totals t = byRef.getOrDefault(ref, Totals.NONE);
        byRef.put(ref, reason.equals("buy_debit")
                ? new Totals(t.debits() + 1, t.debit().add(delta), t.refunds(), t.refund())
                : new Totals(t.debits(), t.debit(), t.refunds() + 1, t.refund().add(delta)));
    }

    public Totals of(String ref) {
        return ref == null ? Totals.NONE : byRef.getOrDefault(ref, Totals.NONE);
    }

    /** When this snapshot started to be read: trades created later may not have their entries in it yet. */
    public Instant walkStartedAt() {
        return walkStartedAt;
    }

    public int entries() {
        return entries;
    }

    public int malformed() {
        return malformed;
    }
}
