package com.poolsbridge.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window request counters per client IP for the short/medium/long tiers (§7.1, G-13). Counting and
 * headers always happen; rejection only when enforcement is enabled. The tiers can be replaced at run time
 * (admin endpoint, tests, benchmarks); that starts every window afresh.
 */
final class RateLimiter {
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile SandboxConfig.RateLimits config;

    private static final class Window {
        long startMillis;
        int count;
    }

    /**
     * Outcome of counting one request: the headers to emit and, if a tier refused it, that tier and the
     * seconds until its window resets.
     */
    record Decision(Map<String, String> headers, String refusingTier, Integer retryAfterSeconds) {
    }

    RateLimiter(SandboxConfig.RateLimits config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    SandboxConfig.RateLimits config() {
        return config;
    }

    void reconfigure(SandboxConfig.RateLimits limits) {
        config = limits;
        windows.clear();
    }

    Decision count(String clientIp) {
        SandboxConfig.RateLimits c = config;
        Map<String, String> headers = new LinkedHashMap<>();
        String refusing = null;
        Integer retryAfter = null;
        long now = clock.millis();
        for (Map.Entry<String, SandboxConfig.Tier> tier : tiers(c).entrySet()) {
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
                if (w.count > t.limit() && c.enabled() && retryAfter == null) {
                    refusing = tier.getKey();
                    retryAfter = (int) resetSeconds;
                }
            }
            headers.put("X-RateLimit-Limit-" + tier.getKey(), String.valueOf(t.limit()));
            headers.put("X-RateLimit-Remaining-" + tier.getKey(), String.valueOf(remaining));
            headers.put("X-RateLimit-Reset-" + tier.getKey(), String.valueOf(resetSeconds));
        }
        if (refusing != null && c.retryAfterHeader().equals("short")) {
            refusing = "short";
        }
        return new Decision(headers, refusing, retryAfter);
    }

    private static Map<String, SandboxConfig.Tier> tiers(SandboxConfig.RateLimits c) {
        Map<String, SandboxConfig.Tier> m = new LinkedHashMap<>();
        m.put("short", c.shortTier());
        m.put("medium", c.medium());
        m.put("long", c.longTier());
        return m;
    }
}
