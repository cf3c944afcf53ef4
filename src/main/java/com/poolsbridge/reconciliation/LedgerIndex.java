package com.poolsbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The 0Pools ledger by ref (= quoteId for buys, contract §8.3/§8.4). A walk reads only the entries newer than
 * the last walk's watermark; they are summed here per ref and reason as BigDecimal (an entry without a parsable
 * delta is kept as malformed, never as zero), then added to the persisted totals with the new watermark in one
 * transaction. Comparisons read the persisted totals, which then include everything read so far.
 */
public final class LedgerIndex {

    public record Totals(int debits, BigDecimal debit, int refunds, BigDecimal refund) {
        static final Totals NONE = new Totals(0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

        public boolean any() {
            return debits + refunds > 0;
        }

        Totals plus(Totals other) {
            return new Totals(debits + other.debits, debit.add(other.debit), refunds + other.refunds,
                    refund.add(other.refund));
        }
    }

    private final Map<String, Totals> added = new HashMap<>();
    private final Instant walkStartedAt;
    private final Function<Collection<String>, Map<String, Totals>> persisted;
    private Map<String, Totals> read = Map.of();
    private int entries;
    private int malformed;

    /**
     * @param persisted the persisted totals of some refs (including this walk's entries once they are saved); a
     *                  ref without any may be absent
     */
    public LedgerIndex(Instant walkStartedAt, Function<Collection<String>, Map<String, Totals>> persisted) {
        this.walkStartedAt = walkStartedAt;
        this.persisted = persisted;
    }

    /** A ledger entry this walk read for the first time. */
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
        added.merge(ref, reason.equals("buy_debit")
                ? new Totals(1, delta, 0, BigDecimal.ZERO)
                : new Totals(0, BigDecimal.ZERO, 1, delta), Totals::plus);
    }

    /** The sums of this walk's new entries, per ref, to be added to the persisted totals. */
    public Map<String, Totals> added() {
        return Map.copyOf(added);
    }

    /** Reads the persisted totals of a page's refs at once, for {@link #of} (it keeps only the last page's). */
    public void read(Collection<String> refs) {
        Map<String, Totals> page = new HashMap<>(persisted.apply(refs));
        refs.forEach(ref -> page.putIfAbsent(ref, Totals.NONE));
        read = page;
    }

    /** The persisted totals of a ref: from the last {@link #read} when it had the ref, else read now. */
    public Totals of(String ref) {
        if (ref == null) {
            return Totals.NONE;
        }
        Totals totals = read.get(ref);
        return totals != null ? totals : persisted.apply(List.of(ref)).getOrDefault(ref, Totals.NONE);
    }

    /** When this snapshot started to be read: trades created later may not have their entries in it yet. */
    public Instant walkStartedAt() {
        return walkStartedAt;
    }

    /** Entries read by this walk (the new ones only). */
    public int entries() {
        return entries;
    }

    public int malformed() {
        return malformed;
    }

    /**
     * An entry's identity for the watermark: its {@code id} when 0Pools sends one, else what the contract's
     * entry carries (createdAt, reason, ref, delta). Two entries equal in all four are indistinguishable to us.
     */
    static String fingerprint(JsonNode entry) {
        String id = entry.path("id").asText(null);
        if (id != null) {
            return "id:" + id;
        }
        String key = entry.path("createdAt").asText("") + "|" + entry.path("reason").asText("") + "|"
                + entry.path("ref").asText("") + "|" + entry.path("delta").asText("");
        try {
            return "fp:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
