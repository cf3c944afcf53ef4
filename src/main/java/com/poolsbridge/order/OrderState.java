package com.poolsbridge.order;

/**
 * Steps of an order's life in pools-bridge; RESERVED and REJECTED end its intake (settlement follows). INVALID is
 * a message whose content could not be read as an order: it is answered rejected (invalid_order), nothing else.
 */
public enum OrderState {
    RECEIVED, TRANSACTING, RESERVED, REJECTED, FAILED, INVALID;

    public boolean replied() {
        return this == RESERVED || this == REJECTED || this == INVALID;
    }
}
