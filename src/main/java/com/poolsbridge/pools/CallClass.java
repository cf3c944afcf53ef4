package com.poolsbridge.pools;

/**
 * Who a 0Pools call is for, highest priority first: the partner budget lets a lower class fill only its share
 * of each tier, so under pressure it yields to the classes above it (see PartnerBudget).
 */
public enum CallClass {
    /** A firm quote: granted only with a second permit held for its transact (within the quote's life). */
    ORDER_QUOTE("order", 1),
    /** Every other call an order waits for: transact, trade lookup, capabilities it needs now. */
    ORDER("order", 0),
    /** The first status poll of a fresh trade. */
    FIRST_POLL("first-poll", 0),
    LATER_POLL("later-poll", 0),
    /** Polls or reads looking for a late settled -> returned. */
    RETURNED_WATCH("returned-watch", 0),
    RECONCILIATION("reconciliation", 0),
    CAPABILITIES_REFRESH("capabilities-refresh", 0);

    private final String configKey;
    private final int heldFollowUps;

    CallClass(String configKey, int heldFollowUps) {
        this.configKey = configKey;
        this.heldFollowUps = heldFollowUps;
    }

    /** The name in pools.budget.shares. */
    public String configKey() {
        return configKey;
    }

    /** Permits held beside this call's own for the call that must follow it. */
    public int heldFollowUps() {
        return heldFollowUps;
    }

    /** The class of a settlement status poll of a trade in {@code tradeStatus} polled {@code pollCount} times. */
    public static CallClass statusPoll(String tradeStatus, int pollCount) {
        return "settled".equals(tradeStatus) ? RETURNED_WATCH : pollCount == 0 ? FIRST_POLL : LATER_POLL;
    }
}
