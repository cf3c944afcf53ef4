package com.poolsbridge.support;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.poolsbridge.pools.PoolsRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Stands in for the HTTP call to 0Pools in route unit tests: answers each operation from a script (or a
 * well-formed default) and records every request exactly as pools-api built it.
 */
public class ScriptedPools implements Processor {

    public record Response(int status, String body, Map<String, String> headers) {
    }

    public record Call(String operation, String method, String path, String body, String idempotencyKey, String query) {
    }

    private final Map<String, Deque<Response>> scripts = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public ScriptedPools then(String operation, int status, String body) {
        return then(operation, status, body, Map.of());
    }

    public synchronized ScriptedPools then(String operation, int status, String body, Map<String, String> headers) {
        scripts.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new Response(status, body, headers));
        return this;
    }

    public synchronized void reset() {
        scripts.clear();
        calls.clear();
    }

    public List<Call> calls() {
        return calls;
    }

    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    @Override
    public void process(Exchange exchange) {
        PoolsRequest request = exchange.getProperty("poolsRequest", PoolsRequest.class);
        String operation = request.operation();
        var in = exchange.getMessage();
        calls.add(new Call(operation, in.getHeader(Exchange.HTTP_METHOD, String.class),
                in.getHeader(Exchange.HTTP_PATH, String.class), in.getBody(String.class),
                in.getHeader("Idempotency-Key", String.class), in.getHeader(Exchange.HTTP_QUERY, String.class)));
        Response response;
        synchronized (this) {
            Deque<Response> script = scripts.get(operation);
            response = script == null || script.isEmpty() ? defaultResponse(request) : script.poll();
        }
        in.removeHeaders("*", "Camel.*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        in.setHeader("X-Request-Id", "req_unit_" + calls.size());
        response.headers().forEach(in::setHeader);
        in.setBody(response.body());
    }

    private static Response defaultResponse(PoolsRequest request) {
        String operation = request.operation();
        String path = request.path();
        String poolId = path.split("/").length > 2 ? path.split("/")[2] : "EUR-USDT";
        return switch (operation) {
            case "getCapabilities" -> new Response(200, capabilities(poolId), Map.of());
            case "createQuote" -> new Response(200, firmQuote("pq_test_" + Math.abs(path.hashCode()) + "_" + System.nanoTime(),
                    Instant.now().plusSeconds(15)), Map.of());
            case "transact" -> new Response(200, trade(quoteIdOf(request.body()), "reserved"), Map.of());
            case "listTrades" -> new Response(200, "{\"data\":[],\"nextCursor\":null,\"hasMore\":false}", Map.of());
            default -> new Response(404, error(404, "not_found", "not_found"), Map.of());
        };
    }

    private static String quoteIdOf(String transactBody) {
        return transactBody.replaceAll(".*\"quoteId\":\"([^\"]+)\".*", "$1");
    }

    public static String capabilities(String poolId) {
        return """
                {"poolId":"%s","pair":"EUR/USDT","fiatCurrency":"EUR","cryptoCurrency":"USDT",
                 "supportedNetworks":["tron","ethereum"],"sides":["on_ramp"],"tier":"standard","drawFeeBps":30,
                 "spreadCapBps":50,"minOrderUsdt":"10.00","maxOrderUsdt":null,"depositAddress":null,"balanceGate":true}"""
                .formatted(poolId);
    }

    public static String firmQuote(String quoteId, Instant expiresAt) {
        return """
                {"available":true,"type":"firm","executable":true,"quoteId":"%s","poolId":"EUR-USDT","side":"on_ramp",
                 "fiatCurrency":"EUR","cryptoCurrency":"USDT","fiatAmount":"100.00","cryptoAmount":"107.31","rate":"1.0731",
                 "spreadBps":25,"feeBps":30,"totalBps":55,"cryptoNetwork":"tron","destAddress":"TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7","destNetwork":"tron",
                 "minOrderUsdt":"10.00","maxOrderUsdt":null,"expiresAt":"%s","unavailableReason":null}"""
                .formatted(quoteId, expiresAt);
    }

    public static String trade(String quoteId, String status) {
        return """
                {"transactId":"txn_%s","quoteId":"%s","poolId":"EUR-USDT","side":"on_ramp","status":"%s",
                 "fiatCurrency":"EUR","cryptoCurrency":"USDT","fiatAmount":"100.00","cryptoAmount":"107.31","rate":"1.0731",
                 "spreadBps":25,"feeBps":30,"totalBps":55,"cryptoNetwork":"tron","destAddress":"TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7","destNetwork":"tron",
                 "createdAt":"2026-06-01T10:00:07Z","updatedAt":"2026-06-01T10:00:07Z"}"""
                .formatted(quoteId, quoteId, status);
    }

    public static String error(int status, String type, String code) {
        return """
                {"type":"%s","code":"%s","message":"scripted","request_id":"req_scripted","doc_url":null,"statusCode":%d}"""
                .formatted(type, code, status);
    }
}
