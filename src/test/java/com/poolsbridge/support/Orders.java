package com.poolsbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.poolsbridge.order.OrderMessage;
import com.poolsbridge.order.OrderValidator;

/** Order messages for tests. */
public final class Orders {

    private Orders() {
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static final String TRON_WALLET = "TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7";
    public static final String EVM_WALLET = "0x52908400098527886E0F7030069857D2E4169EE7";

    public static String onRamp(String orderId, String poolId, String amount) {
        return """
                {"orderId":"%s","poolId":"%s","side":"on_ramp","amount":"%s","cryptoNetwork":"tron","destAddress":"%s"}"""
                .formatted(orderId, poolId, amount, TRON_WALLET);
    }

    /** {@link #onRamp} as order-intake parses it. */
    public static OrderMessage parsedOnRamp(String orderId, String poolId, String amount) {
        return new OrderValidator().parse(onRamp(orderId, poolId, amount).getBytes(StandardCharsets.UTF_8));
    }

    public static String order(String orderId, String poolId, String side, String amount, String network) {
        return """
                {"orderId":"%s","poolId":"%s","side":"%s","amount":"%s","cryptoNetwork":"%s","destAddress":"%s"}"""
                .formatted(orderId, poolId, side, amount, network, "tron".equals(network) ? TRON_WALLET : EVM_WALLET);
    }
}
