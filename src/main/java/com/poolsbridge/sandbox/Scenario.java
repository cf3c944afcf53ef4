package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Deterministic test scenarios, chosen by the cents of the quote request's {@code amount} (the fiat amount for
 * on_ramp, e.g. "100.13"):
 * <ul>
 *   <li>{@code .13} → trade ends {@code failed} (webhook pool.transaction.failed, ledger buy_refund)</li>
 *   <li>{@code .14} → trade ends {@code released} (webhook pool.transaction.released, ledger buy_refund)</li>
 *   <li>{@code .15} → trade {@code settled} (webhook), then {@code returned} on the next poll (no webhook, buy_refund)</li>
 *   <li>{@code .66} → quote unavailable, 200 {@code available:false, unavailableReason:"pool_dry"}</li>
 *   <li>{@code .67} → quote unavailable, {@code unavailableReason:"engine_unavailable"}</li>
 *   <li>anything else → trade ends {@code settled}</li>
 * </ul>
 * A trade reaches its outcome on the {@code pollsToTerminal}-th status poll (default 2); returned comes one poll later.
 */
public enum Scenario {
    SETTLED, FAILED, RELEASED, SETTLED_THEN_RETURNED, POOL_DRY, ENGINE_UNAVAILABLE;

    public static Scenario of(BigDecimal amount) {
        int cents = amount.setScale(2, RoundingMode.DOWN).remainder(BigDecimal.ONE).movePointRight(2).abs().intValue();
        return switch (cents) {
            case 13 -> FAILED;
            case 14 -> RELEASED;
            case 15 -> SETTLED_THEN_RETURNED;
            case 66 -> POOL_DRY;
            case 67 -> ENGINE_UNAVAILABLE;
            default -> SETTLED;
        };
    }

    /** The status a reserved trade moves to when it reaches terminal. */
    String terminalStatus() {
        return switch (this) {
            case FAILED -> "failed";
            case RELEASED -> "released";
            default -> "settled";
        };
    }

    /** unavailableReason for a quote, or null when the quote is priced. */
    String unavailableReason() {
        return switch (this) {
            case POOL_DRY -> "pool_dry";
            case ENGINE_UNAVAILABLE -> "engine_unavailable";
            default -> null;
        };
    }
}
