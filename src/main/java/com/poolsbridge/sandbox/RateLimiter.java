package com.poolsbridge.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request counters per client IP for the short/medium/long tiers (§7.1, G-13). Counting and
 * headers always happen; rejection only when enforcement is enabled in the config.
 */
final class RateLimiter {
    private final SandboxConfig.RateLimits config;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long startMillis;
        int count;
    }

    /** Outcome of counting one request: the headers to emit and, if exceeded, seconds to wait. */
    record Decision(Map<String, String> headers, Integer retryAfterSeconds) {
    }

    RateLimiter(SandboxConfig.RateLimits config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    Decision count(String clientIp) {
        Map<String, String> headers = new LinkedHashMap<>();
        Integer retryAfter = null;
        long now = clock.millis();
        for (Map.Entry<String, SandboxConfig.Tier> tier : tiers().entrySet()) {
            SandboxConfig.Tier t = tier.getValue();
            Window w = windows.computeIfAbsent(clientIp + "|" + tier.getKey(), k -> new Window());
            int remaining;
            long resetSeconds;
            synchronized (w) {
                long windowMillis = t.windowSeconds() * 1000L;
                if (now - w.startMillis >= windowMillis) {
                    w.startMillis = now;
                    w.count = 0;
                }
                w.count++;
                remaining = Math.max(0, t.limit() - w.count);
                resetSeconds = Math.max(1, (w.startMillis + windowMillis - now + 999) / 1000);
                if (w.count > t.limit() && config.enabled() && retryAfter == null) {
                    retryAfter = (int) resetSeconds;
                }
            }
            headers.put("X-RateLimit-Limit-" + tier.getKey(), String.valueOf(t.limit()));
            headers.put("X-RateLimit-Remaining-" + tier.getKey(), String.valueOf(remaining));
            headers.put("X-RateLimit-Reset-" + tier.getKey(), String.valueOf(resetSeconds));
        }
        return new Decision(headers, retryAfter);
    }

    private Map<String, SandboxConfig.Tier> tiers() {
        Map<String, SandboxConfig.Tier> m = new LinkedHashMap<>();
        m.put("short", config.shortTier());
        m.put("medium", config.medium());
        m.put("long", config.longTier());
        return m;
    }
}
