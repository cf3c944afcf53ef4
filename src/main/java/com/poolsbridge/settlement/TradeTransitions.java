package com.poolsbridge.settlement;

import java.util.List;
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

    /**
     * The forward steps from {@code from} to {@code to}, each of which gets its own settlement: one step for a
     * legal move, two for reserved→returned (the trade settled and was returned between two observations, so
     * settled happened too), none for anything else (backwards, sideways, unknown).
     */
    public static List<String> steps(String from, String to) {
        if (legal(from, to)) {
            return List.of(to);
        }
        if ("reserved".equals(from) && "returned".equals(to)) {
            return List.of("settled", "returned");
        }
        return List.of();
    }
}
