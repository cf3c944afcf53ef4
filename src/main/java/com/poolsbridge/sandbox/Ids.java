package com.poolsbridge.sandbox;

import java.security.SecureRandom;

/** Random ids in the documented shapes: req_ + 24 base32 chars (G-24), pq_test_…, txn_test_…. */
final class Ids {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String requestId() {
        return requestId("req_base32");
    }

    /** G-24: {@code req_base32} (req_ + 24 base32 chars) or {@code uuid}. */
    static String requestId(String format) {
        return format.equals("uuid") ? java.util.UUID.randomUUID().toString() : "req_" + random(BASE32, 24);
    }

    static String quoteId() {
        return "pq_test_" + random(LOWER, 16);
    }

    static String transactId() {
        return "txn_test_" + random(LOWER, 16);
    }

    private static String random(char[] alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
