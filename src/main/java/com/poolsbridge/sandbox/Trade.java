package com.poolsbridge.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trade and its settlement progress; mutated only under the Store lock. */
final class Trade {
    final String transactId;
    final long seq;              // insertion order: keyset for newest-first pagination
    final Quote quote;
    final Instant createdAt;
    String status = "reserved";
    Instant updatedAt;
    int polls;
    boolean debited;             // a buy_debit was posted: failed/released/returned refund it

    Trade(String transactId, long seq, Quote quote, Instant createdAt) {
        this.transactId = transactId;
        this.seq = seq;
        this.quote = quote;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** The §3.8 trade shape, shared by transact, status poll, trade read, list rows and webhooks. */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactId", transactId);
        m.put("quoteId", quote.quoteId);
        m.put("poolId", quote.pool.id());
        m.put("side", quote.side);
        m.put("status", status);
        m.put("fiatCurrency", quote.pool.fiatCurrency());
        m.put("cryptoCurrency", quote.pool.cryptoCurrency());
        m.put("fiatAmount", Money.str(quote.fiatAmount));
        m.put("cryptoAmount", Money.str(quote.cryptoAmount));
        m.put("rate", quote.rate.toPlainString());
        m.put("spreadBps", quote.pool.spreadBps());
        m.put("feeBps", quote.feeBps);
        m.put("totalBps", quote.pool.spreadBps() + quote.feeBps);
        m.put("cryptoNetwork", quote.cryptoNetwork);
        m.put("destAddress", quote.destAddress);
        m.put("destNetwork", quote.destNetwork);
        m.put("createdAt", Money.time(createdAt));
        m.put("updatedAt", Money.time(updatedAt));
        return m;
    }
}
