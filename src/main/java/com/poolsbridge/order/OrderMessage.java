package com.poolsbridge.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A validated order from core banking (see schemas/order.schema.json). */
public record OrderMessage(String orderId, String poolId, String side, BigDecimal amount, String cryptoNetwork,
                           String destAddress, String destNetwork) {

    /** What makes two messages "the same order": its terms (SHA-256), not its formatting or field order. */
    public String fingerprint() {
        String terms = String.join("|", orderId, poolId, side, amount.stripTrailingZeros().toPlainString(),
                cryptoNetwork, String.valueOf(destAddress), String.valueOf(destNetwork));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(terms.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
