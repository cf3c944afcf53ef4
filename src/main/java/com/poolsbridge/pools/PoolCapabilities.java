package com.poolsbridge.pools;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.order.LocalRejectionException;
import com.poolsbridge.order.OrderRecord;

/**
 * Cached per-pool capabilities (sides, networks, order limits of GET /pools/{id}/capabilities): read when an order
 * needs them and the cached copy is missing or older than the TTL, again before a copy older than a minute refuses
 * an order, and after a quote fails validation (the pool's configuration may change without notice). No timer:
 * an idle pool costs no partner calls.
 */
public class PoolCapabilities {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final Duration REFUSE_ONLY_ON_COPIES_YOUNGER_THAN = Duration.ofSeconds(60);

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public PoolCapabilities(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * True when the order's pool has no cached copy, the copy is older than the TTL, or the copy would refuse this
     * order and is older than {@link #REFUSE_ONLY_ON_COPIES_YOUNGER_THAN}: an order is refused locally only on
     * what 0Pools said a moment ago (the pool may have gained the side, network or limit it lacked).
     */
    public boolean needsRefresh(OrderRecord order) {
        Entry entry = cache.get(order.poolId());
        Instant now = clock.instant();
        return entry == null || entry.fetchedAt.plus(ttl).isBefore(now)
                || (entry.fetchedAt.plus(REFUSE_ONLY_ON_COPIES_YOUNGER_THAN).isBefore(now) && refusal(entry.json, order) != null);
    }

    /** GET /pools/{id}/capabilities. */
    public PoolsRequest fetch(String poolId) {
        return PoolsRequest.get("getCapabilities", "/pools/" + poolId + "/capabilities", null);
    }

    /** GET /pools/{id}/capabilities for an order waiting on them (budgeted as an order call). */
    public PoolsRequest fetchForOrder(String poolId) {
        return fetch(poolId).as(CallClass.ORDER);
    }

    /** Caches the capabilities answered by 0Pools. */
    public void store(String capabilitiesJson) throws Exception {
        JsonNode json = MAPPER.readTree(capabilitiesJson);
        cache.put(json.get("poolId").asText(), new Entry(json, clock.instant()));
    }

    public void invalidate(String poolId) {
        cache.remove(poolId);
    }

    /** Rejects locally what the pool cannot do for this partner, so no quote is asked for in vain. */
    public void check(OrderRecord order) {
        Entry entry = cache.get(order.poolId());
        if (entry == null) {
            throw new IllegalStateException("capabilities of " + order.poolId() + " not loaded");
        }
        LocalRejectionException refusal = refusal(entry.json, order);
        if (refusal != null) {
            throw refusal;
        }
    }

    private static LocalRejectionException refusal(JsonNode caps, OrderRecord order) {
        if (!contains(caps.get("sides"), order.side())) {
            return new LocalRejectionException("side_not_supported",
                    "pool " + order.poolId() + " does not offer " + order.side() + " to this partner");
        }
        for (String network : order.destNetwork() == null ? List.of(order.cryptoNetwork())
                : List.of(order.cryptoNetwork(), order.destNetwork())) {
            if (!contains(caps.get("supportedNetworks"), network)) {
                return new LocalRejectionException("network_not_supported",
                        "pool " + order.poolId() + " does not deliver on " + network);
            }
        }
        // limits are USDT-equivalent: comparable here only when the input amount is USDT (an off-ramp sale);
        // for other inputs 0Pools applies them at quote time (400 amount_out_of_range)
        if ("off_ramp".equals(order.side()) && "USDT".equals(PoolsJson.text(caps, "cryptoCurrency"))) {
            BigDecimal min = PoolsJson.decimal(caps, "minOrderUsdt");
            BigDecimal max = PoolsJson.decimal(caps, "maxOrderUsdt");
            if ((min != null && order.amount().compareTo(min) < 0) || (max != null && order.amount().compareTo(max) > 0)) {
                return new LocalRejectionException("amount_out_of_range",
                        "amount " + order.amount().toPlainString() + " is outside the pool's order limits");
            }
        }
        return null;
    }

    private static boolean contains(JsonNode array, String value) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private record Entry(JsonNode json, Instant fetchedAt) {
    }
}
