package com.poolsbridge.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated order from core banking (see schemas/order.schema.json).
 *
 * @param expiresAt the sender's deadline for executing the order, or null (the configured maximum age applies)
 */
public record OrderMessage(String orderId, String poolId, String side, BigDecimal amount, String cryptoNetwork,
                           String destAddress, String destNetwork, Instant expiresAt) {

    /**
     * What makes two messages "the same order": its terms (SHA-256), not its formatting or field order. The
     * deadline is not a term of the trade (and fingerprints stored before it existed stay valid).
     */
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
