package com.poolsbridge.pools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency-Key for transact, derived from the order and the quote it executes (contract G-14):
 * every retry of one attempt reuses it, a new quote gets a new one (same key + other quoteId would be a 409).
 */
public final class IdempotencyKeys {

    private static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    public static String forTransact(String orderId, String quoteId) {
        String key = "pool-tx:" + orderId + ":" + quoteId;
        if (key.length() <= MAX_LENGTH) {
            return key;
        }
        // still deterministic when the ids are unusually long
        return "pool-tx:sha256:" + sha256(orderId + ":" + quoteId);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
