package com.poolsbridge.order;

/** Steps of an order's life in pools-bridge; RESERVED and REJECTED end its intake (settlement follows). */
public enum OrderState {
    RECEIVED, TRANSACTING, RESERVED, REJECTED, FAILED;

    public boolean replied() {
        return this == RESERVED || this == REJECTED;
    }
}
