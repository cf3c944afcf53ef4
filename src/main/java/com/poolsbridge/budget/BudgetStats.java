package com.poolsbridge.budget;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.poolsbridge.pools.CallClass;

/**
 * What the partner budget did in this replica, for operators (bean partnerBudgetStats; each getter is a map by
 * call class or tier, ready for a metrics exporter): permits granted, refusals, starved waits, the longest wait
 * of a granted call, 429s received by tier.
 */
public class BudgetStats {

    private final Map<String, LongAdder> granted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> starved = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> longestWaitMs = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();

    void granted(CallClass callClass, long waitedMs) {
        add(granted, callClass.name());
        longestWaitMs.computeIfAbsent(callClass.name(), k -> new AtomicLong()).accumulateAndGet(waitedMs, Math::max);
    }

    void refused(CallClass callClass) {
        add(refused, callClass.name());
    }

    void starved(CallClass callClass) {
        add(starved, callClass.name());
    }

    void rateLimited(String tier) {
        add(rateLimited, tier);
    }

    /** Permits granted, by call class (counter). */
    public Map<String, Long> getGranted() {
        return snapshot(granted);
    }

    /** Attempts refused for want of budget, by call class (counter; one call may be refused many times). */
    public Map<String, Long> getRefused() {
        return snapshot(refused);
    }

    /** Calls that waited longer than pools.budget.max-starvation-ms, by call class (counter, each also a WARN). */
    public Map<String, Long> getStarved() {
        return snapshot(starved);
    }

    /** The longest wait of a granted call since start, by call class, in ms (gauge). */
    public Map<String, Long> getLongestWaitMillis() {
        Map<String, Long> out = new TreeMap<>();
        longestWaitMs.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** 429 rate_limited answers received, by the tier they named (counter; the goal is zero). */
    public Map<String, Long> getRateLimited() {
        return snapshot(rateLimited);
    }

    private static void add(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
