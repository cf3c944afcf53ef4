package com.poolsbridge.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP plumbing for /v1: throttle → route → auth → operation → after-commit faults → response + journal.
 * Every /v1 response carries X-Request-Id, JSON Content-Type and the rate-limit headers; /health is answered
 * without key, throttle or faults.
 */
final class ApiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    interface Operations {
        Reply handle(Call call);
    }

    private final Auth auth;
    private final RateLimiter rateLimiter;
    private final Faults faults;
    private final Journal journal;
    private final Operations operations;
    private final Clock clock;
    private final AdminHandler admin;
    private final String requestIdFormat;

    ApiHandler(Auth auth, RateLimiter rateLimiter, Faults faults, Journal journal, Operations operations, Clock clock,
               AdminHandler admin, String requestIdFormat) {
        this.requestIdFormat = requestIdFormat;
        this.auth = auth;
        this.rateLimiter = rateLimiter;
        this.faults = faults;
        this.journal = journal;
        this.operations = operations;
        this.clock = clock;
        this.admin = admin;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/__admin")) {
                admin.handle(ex);
            } else if (path.equals("/health") || path.equals("/v1/health")) {
                health(ex);
            } else {
                serve(ex);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sandbox handler failed", e);
        } finally {
            ex.close();   // without a sent response this drops the connection (reset-after-commit relies on it)
        }
    }

    /** GET /health: no key, never throttled or faulted (§7.1: "health probes never throttled"). */
    private void health(HttpExchange ex) throws IOException {
        String requestId = Ids.requestId(requestIdFormat);
        Instant received = clock.instant();
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean get = ex.getRequestMethod().equals("GET");
        ApiException notAllowed = new ApiException(405, "invalid_request", "method_not_allowed",
                "Method " + ex.getRequestMethod() + " is not allowed on this path");
        respond(ex, body, get ? 200 : 405, get ? Json.write(Map.of("status", "ok")) : notAllowed.envelope(requestId),
                Map.of(), requestId, received);
    }

    private void serve(HttpExchange ex) throws IOException {
        String requestId = Ids.requestId(requestIdFormat);
        Instant received = clock.instant();
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        int status;
        byte[] out;
        try {
            // counted before routing, so 404/405 carry the rate-limit headers (and count) like any response
            RateLimiter.Decision rate = rateLimiter.count(ex.getRemoteAddress().getAddress().getHostAddress());
            headers.putAll(rate.headers());
            Operation.Match match = Operation.match(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
            String route = match.op().id;
            Integer burst = faults.takeBurst(route);
            if (burst != null) {
                throw ApiException.rateLimited("rate_limited", "Too many requests", "short", burst);
            }
            if (rate.retryAfterSeconds() != null) {
                throw ApiException.rateLimited("rate_limited", "Too many requests", rate.refusingTier(),
                        rate.retryAfterSeconds());
            }
            Partner partner = auth.authenticate(ex.getRequestHeaders().getFirst("Authorization"), match.op());
            Call call = new Call(match.op(), match.param(), partner, ex.getRequestURI().getRawPath(),
                    query(ex.getRequestURI().getRawQuery()), body, ex.getRequestHeaders().getFirst("Idempotency-Key"),
                    requestId);
            if (match.op() != Operation.TRANSACT) {
                faults.beforeCommit(route);   // transact runs it itself, after claiming the Idempotency-Key
            }
            Reply reply = operations.handle(call);
            if (faults.afterCommit(route) == Faults.AfterCommit.RESET) {
                // applied, but the client never hears back: close the connection without a status line
                journal.record(ex, body, 0, requestId, received);
                return;
            }
            status = reply.status();
            out = reply.body();
            if (reply.requestId() != null) {
                requestId = reply.requestId();   // an idempotent replay carries the original X-Request-Id
            }
        } catch (ApiException e) {
            status = e.status;
            headers.putAll(e.headers);
            out = e.envelope(requestId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
            ApiException generic = ApiException.serverError();
            status = generic.status;
            out = generic.envelope(requestId);
        }
        respond(ex, body, status, out, headers, requestId, received);
    }

    private void respond(HttpExchange ex, byte[] requestBody, int status, byte[] out, Map<String, String> headers,
                         String requestId, Instant received) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("X-Request-Id", requestId);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        journal.record(ex, requestBody, status, requestId, received);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    /** Thread-safe request journal with Authorization masked; records the scheme and whether a key was sent. */
    static final class Journal {
        private final List<RecordedRequest> entries = new ArrayList<>();

        void record(HttpExchange ex, byte[] body, int status, String requestId, Instant received) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, k.equalsIgnoreCase("Authorization")
                    ? v.stream().map(RecordedRequest::maskAuthorization).toList() : List.copyOf(v)));
            String raw = ex.getRequestURI().getRawQuery();
            String path = ex.getRequestURI().getRawPath() + (raw == null ? "" : "?" + raw);
            String scheme = ex instanceof HttpsExchange ? "https" : "http";
            boolean authorization = ex.getRequestHeaders().containsKey("Authorization");
            RecordedRequest r = new RecordedRequest(ex.getRequestMethod(), path, headers, body, status, requestId,
                    received, scheme, authorization);
            synchronized (this) {
                entries.add(r);
            }
        }

        synchronized List<RecordedRequest> snapshot() {
            return List.copyOf(entries);
        }

        synchronized void clear() {
            entries.clear();
        }
    }
}
