package com.poolsbridge.settlement;

import java.util.Map;
import java.util.Set;

/** Contract §4.2: reserved→settled|failed|released, settled→returned; nothing else, terminal never goes back. */
public final class TradeTransitions {

    private static final Map<String, Set<String>> LEGAL = Map.of(
            "reserved", Set.of("settled", "failed", "released"),
            "settled", Set.of("returned"));
    private static final Set<String> TERMINAL = Set.of("settled", "failed", "released", "returned");

    private TradeTransitions() {
    }

    public static boolean legal(String from, String to) {
        return from != null && to != null && LEGAL.getOrDefault(from, Set.of()).contains(to);
    }

    /** A status that gets a settlement message (settled may still turn into returned later). */
    public static boolean terminal(String status) {
        return status != null && TERMINAL.contains(status);
    }

    /** The status a terminal status legally comes from (for a trade first seen already terminal). */
    public static String predecessor(String status) {
        return "returned".equals(status) ? "settled" : "reserved";
    }
}
