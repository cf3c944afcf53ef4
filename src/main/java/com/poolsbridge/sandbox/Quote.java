package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Locked terms of a quote. Firm quotes are stored; rejected/transactId are guarded by the Store lock. */
final class Quote {
    final String quoteId;          // null for indicative / unavailable
    final String partnerId;
    final String type;
    final SandboxConfig.PoolConfig pool;
    final String side;
    final BigDecimal fiatAmount;
    final BigDecimal cryptoAmount;
    final BigDecimal rate;         // output per unit of input for the side (§3.5)
    final String cryptoNetwork;
    final String destAddress;
    final String destNetwork;
    final Scenario scenario;
    final Instant createdAt;
    final Instant expiresAt;
    final int feeBps;
    boolean rejected;
    String transactId;

    Quote(String quoteId, String partnerId, String type, SandboxConfig.PoolConfig pool, String side,
          BigDecimal fiatAmount, BigDecimal cryptoAmount, BigDecimal rate, String cryptoNetwork, String destAddress, String destNetwork,
          Scenario scenario, Instant createdAt, Instant expiresAt, int feeBps) {
        this.quoteId = quoteId;
        this.partnerId = partnerId;
        this.type = type;
        this.pool = pool;
        this.side = side;
        this.fiatAmount = fiatAmount;
        this.cryptoAmount = cryptoAmount;
        this.rate = rate;
        this.cryptoNetwork = cryptoNetwork;
        this.destAddress = destAddress;
        this.destNetwork = destNetwork;
        this.scenario = scenario;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.feeBps = feeBps;
    }

    /** Derived status (§3.6): rejected wins; a consumed quote stays consumed after expiry. */
    String status(Instant now) {
        if (rejected) {
            return "rejected";
        }
        if (transactId != null) {
            return "consumed";
        }
        return now.isBefore(expiresAt) ? "active" : "expired";
    }

    /** Body of createQuote / getQuote: every field always present. */
    Map<String, Object> view(String status, String unavailableReason) {
        boolean available = unavailableReason == null;
        boolean firm = "firm".equals(type);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", available);
        m.put("type", type);
        m.put("executable", available && firm);
        m.put("quoteId", quoteId);
        m.put("status", status);
        m.put("poolId", pool.id());
        m.put("side", side);
        m.put("fiatCurrency", pool.fiatCurrency());
        m.put("cryptoCurrency", pool.cryptoCurrency());
        m.put("fiatAmount", available ? Money.str(fiatAmount) : null);
        m.put("cryptoAmount", available ? Money.str(cryptoAmount) : null);
        m.put("rate", available ? rate.toPlainString() : null);
        m.put("spreadBps", available ? pool.spreadBps() : null);
        m.put("feeBps", available ? feeBps : null);
        m.put("totalBps", available ? pool.spreadBps() + feeBps : null);
        m.put("cryptoNetwork", cryptoNetwork);
        m.put("destAddress", destAddress);
        m.put("destNetwork", destNetwork);
        m.put("minOrderUsdt", Money.str(pool.minOrderUsdt()));
        m.put("maxOrderUsdt", Money.str(pool.maxOrderUsdt()));
        m.put("createdAt", available ? Money.time(createdAt) : null);
        m.put("expiresAt", available && firm ? Money.time(expiresAt) : null);
        m.put("unavailableReason", unavailableReason);
        return m;
    }
}
