package com.poolsbridge.sandbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** listTrades (§5, G-19) and listLedger (§8.3, G-20): newest first, keyset cursors. */
final class ListOperations {
    private static final Set<String> SIDES = Set.of("on_ramp", "off_ramp");
    private static final Set<String> STATUSES = Set.of("reserved", "settled", "failed", "released", "returned");

    private final SandboxConfig.Settings settings;
    private final Store store;

    ListOperations(SandboxConfig.Settings settings, Store store) {
        this.settings = settings;
        this.store = store;
    }

    Reply trades(Call call) {
        call.allowQuery(Set.of("limit", "cursor", "side", "status", "created_after", "created_before"));
        Map<String, String> q = call.query();
        int asked = q.containsKey("limit") ? integer(q.get("limit")) : 50;
        if ((asked < 1 || asked > 100) && settings.tradesLimitOutOfRange().equals("reject")) {
            throw ApiException.invalid("invalid_request", "limit must be between 1 and 100");
        }
        int limit = Math.max(1, Math.min(100, asked));   // G-19: reject (default) or clamp
        String side = q.get("side");
        if (side != null && !SIDES.contains(side)) {
            throw ApiException.invalid("invalid_request", "side must be on_ramp or off_ramp");
        }
        String status = q.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("invalid_request", "unknown status " + status);
        }
        Instant after = instant(q, "created_after");
        Instant before = instant(q, "created_before");
        boolean inclusive = settings.createdBoundsInclusive();   // G-19: exclusive by default
        synchronized (store) {
            Store.Book book = store.book(call.partner().id());
            long below = Long.MAX_VALUE;
            if (q.containsKey("cursor")) {
                Trade c = book.tradesById.get(q.get("cursor"));
                if (c == null) {
                    throw ApiException.invalid("invalid_request", "unknown cursor");
                }
                below = c.seq;
            }
            long bound = below;
            List<Trade> rows = book.tradesById.values().stream()
                    .filter(t -> t.seq < bound)
                    .filter(t -> side == null || t.quote.side.equals(side))
                    .filter(t -> status == null || t.status.equals(status))
                    .filter(t -> after == null || t.createdAt.isAfter(after) || (inclusive && t.createdAt.equals(after)))
                    .filter(t -> before == null || t.createdAt.isBefore(before) || (inclusive && t.createdAt.equals(before)))
                    .sorted(Comparator.comparingLong((Trade t) -> t.seq).reversed())
                    .limit(limit + 1L).toList();
            boolean hasMore = rows.size() > limit;
            List<Map<String, Object>> data = new ArrayList<>();
            rows.stream().limit(limit).forEach(t -> data.add(t.view()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", data);
            m.put("nextCursor", hasMore ? rows.get(limit - 1).transactId : null);
            m.put("hasMore", hasMore);
            return Reply.ok(m);
        }
    }

    Reply ledger(Call call) {
        call.allowQuery(Set.of("currency", "limit", "cursor"));
        Map<String, String> q = call.query();
        if (!q.getOrDefault("currency", "EUR").equals("EUR")) {
            throw ApiException.invalid("invalid_request", "only EUR ledgers are supported");
        }
        int limit = Math.max(1, Math.min(200, q.containsKey("limit") ? integer(q.get("limit")) : 50));
        Partner p = call.partner();
        synchronized (store) {
            List<LedgerEntry> all = store.book(p.id()).ledger;
            long below = Long.MAX_VALUE;
            if (q.containsKey("cursor")) {
                below = all.stream().filter(e -> e.id().equals(q.get("cursor"))).mapToLong(LedgerEntry::seq)
                        .findFirst().orElseThrow(() -> ApiException.invalid("invalid_request", "unknown cursor"));
            }
            List<LedgerEntry> rows = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && rows.size() <= limit; i--) {
                if (all.get(i).seq() < below) {
                    rows.add(all.get(i));
                }
            }
            boolean hasMore = rows.size() > limit;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("currency", "EUR");
            m.put("available", Money.str(p.balance()));
            m.put("entries", rows.stream().limit(limit).map(LedgerEntry::view).toList());
            m.put("nextCursor", hasMore ? rows.get(limit - 1).id() : null);
            return Reply.ok(m);
        }
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid_request", "limit must be an integer");
        }
    }

    private static Instant instant(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("invalid_request", name + " must be an ISO-8601 timestamp");
        }
    }
}
