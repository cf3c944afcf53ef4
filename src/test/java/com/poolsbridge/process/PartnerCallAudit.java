package com.poolsbridge.process;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.poolsbridge.ops.Scrape;
import com.poolsbridge.sandbox.JournalOperations;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.sandbox.SandboxConfig;

/**
 * The partner's side of a budget run: the 0Pools calls the sandbox journalled from {@code from} on, and what each
 * app process says it sent (its own metrics), so two replicas can be shown to share one budget.
 */
public record PartnerCallAudit(List<RecordedRequest> calls) {

    public static PartnerCallAudit since(ProcessHarness h, Instant from) {
        return new PartnerCallAudit(h.sandbox().journal().stream()
                .filter(r -> !r.receivedAt().isBefore(from) && r.pathAndQuery().startsWith("/v1/")).toList());
    }

    /** The app's pools.budget.tiers for the sandbox's tiers (POOLS_BUDGET_TIERS). */
    public static String budgetTiers(SandboxConfig.RateLimits tiers) {
        return String.format("short=%d/%ds,medium=%d/%ds,long=%d/%ds", tiers.shortTier().limit(),
                tiers.shortTier().windowSeconds(), tiers.medium().limit(), tiers.medium().windowSeconds(),
                tiers.longTier().limit(), tiers.longTier().windowSeconds());
    }

    public long refused() {
        return calls.stream().filter(r -> r.status() == 429).count();
    }

    /** The most calls inside any window of the tier's length (sliding: at least what any fixed window saw). */
    public int busiest(SandboxConfig.Tier tier) {
        return busiest(Duration.ofSeconds(tier.windowSeconds()));
    }

    /** The most calls the partner received in any interval of this length. */
    public int busiest(Duration window) {
        List<Instant> at = calls.stream().map(RecordedRequest::receivedAt).sorted().toList();
        int most = 0;
        for (int first = 0, last = 0; last < at.size(); last++) {
            while (!at.get(first).plus(window).isAfter(at.get(last))) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    public Map<String, Long> byOperation() {
        Map<String, Long> byOp = new TreeMap<>();
        calls.forEach(r -> byOp.merge(JournalOperations.operation(r), 1L, Long::sum));
        return byOp;
    }

    /** The 0Pools calls one app process has sent since it started, by its pools_bridge_pools_calls metric. */
    public static long sentBy(JavaProcess app) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.managementPort() + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Scrape.parse(text).entrySet().stream()
                .filter(e -> e.getKey().startsWith("pools_bridge_pools_calls_seconds_count{"))
                .mapToLong(e -> e.getValue().longValue()).sum();
    }
}
