package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * All mutable business state, one book per partner (so cross-tenant lookups simply miss → 404).
 * Guarded by the Store's monitor: callers use {@code synchronized (store)} around read-modify-write sequences.
 */
final class Store {
    static final class Book {
        final Map<String, Quote> quotes = new HashMap<>();
        final Map<String, Trade> tradesById = new LinkedHashMap<>();
        final Map<String, Trade> tradesByQuote = new HashMap<>();
        final List<LedgerEntry> ledger = new ArrayList<>();   // oldest first
    }

    /** A settled trade that will be returned downstream at dueAt. */
    record PendingReturn(Partner partner, Trade trade, Instant dueAt) {
    }

    private final Map<String, Book> books = new HashMap<>();
    private final PriorityQueue<PendingReturn> returns = new PriorityQueue<>(Comparator.comparing(PendingReturn::dueAt));
    private long seq;

    Store(Map<String, Partner> partners, Instant now) {
        for (Partner p : partners.values()) {
            Book b = new Book();
            books.put(p.id(), b);
            if (p.balanceGate() && p.balance().signum() > 0) {
                // opening pay-in so the ledger reconciles with the configured balance
                b.ledger.add(new LedgerEntry("le_" + (++seq), seq, p.balance(), "payin_credit", p.fundingReference(), now));
            }
        }
    }

    synchronized Book book(String partnerId) {
        return books.get(partnerId);
    }

    synchronized long nextSeq() {
        return ++seq;
    }

    synchronized long tradeCount() {
        return books.values().stream().mapToLong(b -> b.tradesById.size()).sum();
    }

    /** Caller holds the lock. */
    void scheduleReturn(Partner partner, Trade trade, Instant dueAt) {
        returns.add(new PendingReturn(partner, trade, dueAt));
    }

    /** Removes and returns the pending returns due by now, oldest first; caller holds the lock. */
    List<PendingReturn> dueReturns(Instant now) {
        List<PendingReturn> due = new ArrayList<>();
        while (!returns.isEmpty() && !returns.peek().dueAt().isAfter(now)) {
            due.add(returns.poll());
        }
        return due;
    }

    /** Posts a ledger movement and adjusts the partner balance; caller holds the lock. */
    void post(Partner p, BigDecimal delta, String reason, String ref, Instant now) {
        long s = ++seq;
        books.get(p.id()).ledger.add(new LedgerEntry("le_" + s, s, delta, reason, ref, now));
        p.balance(p.balance().add(delta));
    }
}
