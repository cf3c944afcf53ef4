package com.poolsbridge.support;

import java.util.UUID;

/** Order messages for tests. */
public final class Orders {

    private Orders() {
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static String onRamp(String orderId, String poolId, String amount) {
        return """
                {"orderId":"%s","poolId":"%s","side":"on_ramp","amount":"%s","cryptoNetwork":"tron","destAddress":"TQ4exampleAddress0001"}"""
                .formatted(orderId, poolId, amount);
    }

    public static String order(String orderId, String poolId, String side, String amount, String network) {
        return """
                {"orderId":"%s","poolId":"%s","side":"%s","amount":"%s","cryptoNetwork":"%s","destAddress":"0xDestinationWallet0001"}"""
                .formatted(orderId, poolId, side, amount, network);
    }
}
