package com.poolsbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request as the sandbox received it. Authorization is masked to its key prefix
 * (e.g. "Bearer sk_test_…") so journals can be printed; {@code authorizationPresent} says whether the header
 * was sent at all, {@code scheme} whether it came over "http" or "https". status is 0 when the connection was
 * dropped.
 */
public record RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
                              int status, String requestId, Instant receivedAt, String scheme,
                              boolean authorizationPresent) {

    /** First value of a header, case-insensitive, or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(0)).findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static String maskAuthorization(String value) {
        if (value == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(Bearer\\s+)?([a-z]+_(test|live)_)").matcher(value);
        if (m.find()) {
            return (m.group(1) == null ? "" : m.group(1)) + m.group(2) + "…";
        }
        return value.startsWith("Bearer ") ? "Bearer …" : "…";
    }
}
