package com.poolsbridge.settlement;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a 0Pools webhook signature (G-11, mirroring the documented 0Gate recipe): header
 * {@code t=<unix>,<scheme>=<hex HMAC-SHA256(whsec, t + "." + rawBody)>} over the RAW body bytes, compared in constant
 * time, with the timestamp inside ± tolerance of now. The secret is held here only; it is never logged or exposed.
 */
public class WebhookVerifier {

    private final byte[] secret;
    private final List<String> headerNames;
    private final String scheme;
    private final long toleranceSeconds;
    private final Clock clock;

    public WebhookVerifier(String secret, List<String> headerNames, String scheme, long toleranceSeconds, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.headerNames = List.copyOf(headerNames);
        this.scheme = scheme;
        this.toleranceSeconds = toleranceSeconds;
        this.clock = clock;
    }

    public List<String> headerNames() {
        return headerNames;
    }

    /** @return the signature timestamp (unix seconds) of a valid delivery */
    public long verify(Function<String, String> headers, byte[] rawBody) {
        String header = null;
        for (String name : headerNames) {
            header = headers.apply(name);
            if (header != null && !header.isBlank()) {
                break;
            }
        }
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException("signature_missing", "no signature header");
        }
        Long timestamp = null;
        boolean matched = false;
        byte[] expected = null;
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new WebhookRejectedException("signature_malformed", "signature timestamp is not a number");
                }
            }
        }
        if (timestamp == null) {
            throw new WebhookRejectedException("signature_malformed", "signature has no timestamp");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > toleranceSeconds) {
            throw new WebhookRejectedException("signature_timestamp", "signature timestamp outside the tolerance window");
        }
        expected = hmacHex(timestamp, rawBody);
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(scheme)) {
                byte[] given = part.substring(eq + 1).trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
                matched |= MessageDigest.isEqual(expected, given);
            }
        }
        if (!matched) {
            throw new WebhookRejectedException("signature_invalid", "signature does not match the body");
        }
        return timestamp;
    }

    /**
     * The signature header value 0Pools would send for {@code rawBody} at {@code timestamp}: the check command
     * signs its test event with it, so the recipe lives in one place.
     */
    public String sign(long timestamp, byte[] rawBody) {
        return "t=" + timestamp + "," + scheme + "=" + new String(hmacHex(timestamp, rawBody), StandardCharsets.US_ASCII);
    }

    private byte[] hmacHex(long timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(rawBody)).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookVerifier[headers=" + headerNames + ", scheme=" + scheme + ", tolerance=" + toleranceSeconds + "s]";
    }
}
