package com.poolsbridge.process;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.sandbox.RecordedRequest;

/**
 * Judges a scenario from everything drained at its end. Per order: trades at 0Pools (ground truth from the
 * sandbox's trade list, tied to the order by the Idempotency-Key {@code pool-tx:<orderId>:<quoteId>} of the
 * transact that made it), distinct keys and bodies per trade, replies, dead letters with their reason, and
 * settlement messages per (trade, status). Pass = 0 orders lost, ≤ 1 trade per order, exactly 1 reply per order,
 * ≤ 1 settlement per (trade, status), nothing on the broker's dead-letter queue without a reason.
 */
public final class Checker {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The figures of one scenario, and every broken rule in words. */
    public record Verdict(int orders, int trades, int replies, int deadLetters, int brokerDeadLetters,
                          int settlements, int lost, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }

        public String line(String scenario, Duration duration) {
            return String.format("FAULT %-44s %s orders=%d trades=%d replies=%d dlq=%d broker-dlq=%d settlements=%d"
                            + " lost=%d duration=%ds%s", scenario, passed() ? "PASS" : "FAIL", orders, trades, replies,
                    deadLetters, brokerDeadLetters, settlements, lost, duration.toSeconds(),
                    passed() ? "" : " | " + String.join("; ", problems.subList(0, Math.min(6, problems.size())))
                            + (problems.size() > 6 ? "; … " + (problems.size() - 6) + " more" : ""));
        }
    }

    private Checker() {
    }

    public static Verdict judge(List<String> orderIds, Collector collector, PoolsSandbox sandbox, String secretKey)
            throws Exception {
        Map<String, String> orderOfQuote = new HashMap<>();
        Map<String, Set<String>> keysOfQuote = new HashMap<>();
        Map<String, Set<String>> bodiesOfQuote = new HashMap<>();
        for (RecordedRequest r : sandbox.journal()) {
            String key = r.header("Idempotency-Key");
            if (!"POST".equals(r.method()) || !r.pathAndQuery().endsWith("/transact") || key == null) {
                continue;
            }
            String quoteId = JSON.readTree(r.body()).path("quoteId").asText();
            String[] parts = key.split(":", 3);   // pool-tx:<orderId>:<quoteId>
            orderOfQuote.put(quoteId, parts.length == 3 ? parts[1] : key);
            keysOfQuote.computeIfAbsent(quoteId, q -> new HashSet<>()).add(key);
            bodiesOfQuote.computeIfAbsent(quoteId, q -> new HashSet<>()).add(r.bodyText());
        }
        List<JsonNode> trades = trades(sandbox, secretKey);
        Map<String, List<String>> tradesOfOrder = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode trade : trades) {
            String quoteId = trade.path("quoteId").asText();
            String orderId = orderOfQuote.get(quoteId);
            if (orderId == null) {
                problems.add("trade " + trade.path("transactId").asText() + " matches no order");
                continue;
            }
            tradesOfOrder.computeIfAbsent(orderId, o -> new ArrayList<>()).add(trade.path("transactId").asText());
            if (keysOfQuote.get(quoteId).size() > 1 || bodiesOfQuote.get(quoteId).size() > 1) {
                problems.add(orderId + ": trade with " + keysOfQuote.get(quoteId).size() + " keys/"
                        + bodiesOfQuote.get(quoteId).size() + " bodies");
            }
        }

        Map<String, List<JsonNode>> repliesOf = new HashMap<>();
        for (Collector.Received r : collector.on(Collector.RESULTS)) {
            JsonNode body = JSON.readTree(r.body());
            repliesOf.computeIfAbsent(body.path("orderId").asText(r.correlationId()), o -> new ArrayList<>()).add(body);
        }
        Map<String, Integer> reasoned = new HashMap<>();
        Map<String, Integer> unreasoned = new HashMap<>();
        for (Collector.Received r : collector.all()) {
            boolean dlq = r.queue().equals(Collector.DLQ);
            boolean brokerDlq = r.queue().equals(BrokerMain.BROKER_DLQ) || r.queue().equals(BrokerMain.BROKER_EXPIRY)
                    || r.queue().equals("pools.expiry");
            if (!dlq && !brokerDlq) {
                continue;
            }
            String orderId = r.property("PoolsOrderId") != null ? r.property("PoolsOrderId") : orderIdOf(r.body());
            boolean withReason = dlq && r.property("PoolsDeadLetterCode") != null;
            (withReason ? reasoned : unreasoned).merge(orderId, 1, Integer::sum);
        }

        int lost = 0;
        int replies = 0;
        for (String orderId : orderIds) {
            List<String> its = tradesOfOrder.getOrDefault(orderId, List.of());
            List<JsonNode> answers = repliesOf.getOrDefault(orderId, List.of());
            int dl = reasoned.getOrDefault(orderId, 0);
            int bdl = unreasoned.getOrDefault(orderId, 0);
            replies += answers.size();
            if (answers.isEmpty() && dl == 0 && bdl == 0) {
                lost++;
                problems.add(orderId + ": lost (no reply, no dead letter" + (its.isEmpty() ? "" : ", " + its.size()
                        + " trade") + ")");
            } else if (answers.size() != 1) {
                problems.add(orderId + ": " + answers.size() + " replies" + (its.isEmpty() ? "" : " with a trade")
                        + (dl > 0 ? ", dead-lettered" : "") + (bdl > 0 ? ", on the broker DLQ" : ""));
            }
            if (its.size() > 1) {
                problems.add(orderId + ": " + its.size() + " trades");
            }
            if (bdl > 0) {
                problems.add(orderId + ": " + bdl + " on a broker dead-letter queue without a reason");
            }
            for (JsonNode answer : answers) {
                boolean accepted = "accepted".equals(answer.path("outcome").asText());
                if (accepted && !its.contains(answer.path("transactId").asText())) {
                    problems.add(orderId + ": accepted with a trade 0Pools does not have");
                } else if (!accepted && !its.isEmpty()) {
                    problems.add(orderId + ": rejected although 0Pools has its trade");
                }
            }
        }

        List<Collector.Received> settlements = collector.on(Collector.SETTLEMENTS);
        Map<String, Long> perTransition = new LinkedHashMap<>();
        for (Collector.Received s : settlements) {
            JsonNode body = JSON.readTree(s.body());
            perTransition.merge(body.path("transactId").asText() + "/" + body.path("status").asText(), 1L, Long::sum);
        }
        perTransition.forEach((k, n) -> {
            if (n > 1) {
                problems.add("settlement " + k + " sent " + n + " times");
            }
        });
        int tradeCount = tradesOfOrder.values().stream().mapToInt(List::size).sum();
        return new Verdict(orderIds.size(), tradeCount, replies,
                reasoned.values().stream().mapToInt(Integer::intValue).sum(),
                unreasoned.values().stream().mapToInt(Integer::intValue).sum(),
                settlements.size(), lost, problems);
    }

    private static String orderIdOf(String body) {
        try {
            return JSON.readTree(body).path("orderId").asText("?");
        } catch (Exception e) {
            return "?";
        }
    }

    /** Every trade of the partner, read through the public list API (newest first, keyset cursor). */
    static List<JsonNode> trades(PoolsSandbox sandbox, String secretKey) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            URI uri = URI.create(sandbox.baseUrl() + "/pools/trades?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + secretKey).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode page = JSON.readTree(response.body());
            page.path("data").forEach(all::add);
            cursor = page.path("hasMore").asBoolean() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    /** Trades at 0Pools right now (for "the fault landed while k trades existed"). */
    public static int tradeCount(PoolsSandbox sandbox) {
        return (int) sandbox.tradeCount();
    }

    /** Orders with no outcome yet: no reply and no dead letter on any queue. */
    public static long unaccounted(List<String> orderIds, Collector collector) {
        Set<String> answered = new HashSet<>();
        for (Collector.Received r : collector.all()) {
            if (!r.queue().equals(Collector.SETTLEMENTS)) {
                answered.add(r.property("PoolsOrderId") != null ? r.property("PoolsOrderId") : orderIdOf(r.body()));
            }
        }
        return orderIds.stream().filter(id -> !answered.contains(id)).count();
    }
}
