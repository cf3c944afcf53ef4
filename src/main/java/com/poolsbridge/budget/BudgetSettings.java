package com.poolsbridge.budget;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.poolsbridge.pools.CallClass;

/**
 * The partner budget's configuration (pools.budget.* in config/application.properties).
 *
 * @param name            the budget's key in the database: replicas behind one egress IP share one name
 * @param tiers           the partner's tiers, each {@code limit} calls per {@code windowMs}
 * @param shares          the share of every tier a class may fill; ORDER_QUOTE and ORDER always 1.0
 * @param maxStarvationMs after waiting this long, a call of any class may use the whole tier (WARN, counter)
 * @param marginMs        added to every window: latency between permit and arrival, clock skew between replicas
 * @param holdMs          how long a quote's transact permit is held (the firm quote's life)
 * @param recheckMaxMs    the longest single wait before a waiting call asks again
 * @param jitterMs        random extra wait: on a 429's pause, and on every recheck so waiters do not collide
 */
public record BudgetSettings(String name, List<Tier> tiers, Map<CallClass, Double> shares, long maxStarvationMs,
                             long marginMs, long holdMs, long recheckMaxMs, long jitterMs) {

    /** One tier of the partner's throttle; {@code name} is the suffix of its response headers. */
    public record Tier(String name, int limit, long windowMs) {
    }

    public BudgetSettings {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("pools.budget.tiers: at least one tier");
        }
        tiers = List.copyOf(tiers);
        shares = Map.copyOf(shares);
    }

    public long longestWindowMs() {
        return tiers.stream().mapToLong(Tier::windowMs).max().orElseThrow();
    }

    public double share(CallClass callClass) {
        return shares.getOrDefault(callClass, 1.0);
    }

    /** {@code short=10/10s,medium=60/60s,long=300/3600s}: name=limit/window, window in ms, s, m or h. */
    public static List<Tier> parseTiers(String spec) {
        List<Tier> tiers = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] nameRest = part.trim().split("=");
            String[] limitWindow = nameRest[1].trim().split("/");
            tiers.add(new Tier(nameRest[0].trim(), Integer.parseInt(limitWindow[0].trim()), millis(limitWindow[1].trim())));
        }
        return tiers;
    }

    /** {@code first-poll=0.9,reconciliation=0.6}: by CallClass#configKey; the order classes keep 1.0. */
    public static Map<CallClass, Double> parseShares(String spec) {
        Map<CallClass, Double> shares = new EnumMap<>(CallClass.class);
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            double share = Double.parseDouble(kv[1].trim());
            if (share <= 0 || share > 1) {
                throw new IllegalArgumentException("pools.budget.shares: " + part.trim() + " is not in (0, 1]");
            }
            for (CallClass c : CallClass.values()) {
                if (c.configKey().equals(kv[0].trim())) {
                    shares.put(c, share);
                }
            }
        }
        shares.put(CallClass.ORDER_QUOTE, 1.0);
        shares.put(CallClass.ORDER, 1.0);
        return shares;
    }

    private static long millis(String window) {
        if (window.endsWith("ms")) {
            return Long.parseLong(window.substring(0, window.length() - 2));
        }
        long unit = switch (window.charAt(window.length() - 1)) {
            case 's' -> 1000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            default -> throw new IllegalArgumentException("pools.budget.tiers: window " + window + " needs ms, s, m or h");
        };
        return Long.parseLong(window.substring(0, window.length() - 1)) * unit;
    }
}
