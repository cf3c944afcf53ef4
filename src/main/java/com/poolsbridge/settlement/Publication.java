package com.poolsbridge.settlement;

/** One settlement_event row to (re-)send on pools.settlements: the stored bytes, never rebuilt. */
public record Publication(String transactId, String status, String orderId, String json) {

    /** Artemis duplicate-detection id: a re-send after a crash between send and published_at is dropped. */
    public String duplicateId() {
        return "settlement:" + transactId + ":" + status;
    }
}
