package com.poolsbridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** listPools, getCapabilities, getBalance, getFunding (§3.1-3.4). */
final class AccountOperations {
    private final SandboxConfig config;
    private final Auth auth;
    private final PoolAvailability availability;

    AccountOperations(SandboxConfig config, Auth auth, PoolAvailability availability) {
        this.config = config;
        this.auth = auth;
        this.availability = availability;
    }

    /** Discovery never shows pool-level denials: not enabled → [], otherwise allowed pools with availability. */
    Reply listPools(Call call) {
        Partner p = call.partner();
        List<Map<String, Object>> pools = new ArrayList<>();
        if (p.productEnabled()) {
            boolean usable = "active".equals(p.status()) && "approved".equals(p.kycStatus());
            for (String id : p.allowedPools()) {
                SandboxConfig.PoolConfig pool = config.pool(id);
                if (pool != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", pool.id());
                    m.put("pair", pair(pool));
                    m.put("fiatCurrency", pool.fiatCurrency());
                    m.put("cryptoCurrency", pool.cryptoCurrency());
                    m.put("available", usable && availability.reason(id) == null);
                    pools.add(m);
                }
            }
        }
        return Reply.ok(Map.of("pools", pools));
    }

    Reply capabilities(Call call) {
        Partner p = call.partner();
        SandboxConfig.PoolConfig pool = auth.pool(p, call.param(), false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("poolId", pool.id());
        m.put("pair", pair(pool));
        m.put("fiatCurrency", pool.fiatCurrency());
        m.put("cryptoCurrency", pool.cryptoCurrency());
        m.put("supportedNetworks", pool.networks());
        m.put("sides", pool.sides());
        m.put("tier", p.tier());
        m.put("drawFeeBps", pool.drawFeeBps());
        m.put("spreadCapBps", pool.spreadCapBps());
        m.put("minOrderUsdt", Money.str(pool.minOrderUsdt()));
        m.put("maxOrderUsdt", Money.str(pool.maxOrderUsdt()));
        m.put("depositAddress", p.depositAddress());
        m.put("balanceGate", p.balanceGate());
        return Reply.ok(m);
    }

    Reply balance(Call call) {
        Partner p = call.partner();
        SandboxConfig.PoolConfig pool = auth.pool(p, call.param(), false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("poolId", pool.id());
        m.put("currency", pool.fiatCurrency());
        m.put("available", availability.reason(pool.id()) == null);
        m.put("balance", p.balanceGate() ? Money.str(p.balance()) : null);
        m.put("tier", p.tier());
        m.put("allowedPools", p.allowedPools());
        return Reply.ok(m);
    }

    Reply funding(Call call) {
        call.allowQuery(Set.of("currency"));
        String currency = call.query().getOrDefault("currency", "EUR");
        if (!currency.equals("EUR")) {
            throw ApiException.invalid("invalid_request", "only EUR funding is supported");
        }
        Partner p = call.partner();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currency", "EUR");
        m.put("iban", p.fundingIban());
        m.put("reference", p.fundingReference());
        m.put("instructions", p.fundingIban() == null
                ? "Funding account is being provisioned; contact your account team before sending funds."
                : "Send EUR by SEPA credit transfer to the IBAN above and quote the reference exactly.");
        return Reply.ok(m);
    }

    private static String pair(SandboxConfig.PoolConfig pool) {
        return pool.fiatCurrency() + "/" + pool.cryptoCurrency();
    }
}
