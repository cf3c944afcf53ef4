package com.poolsbridge.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

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
 * HTTP plumbing for /v1: route → throttle → auth → operation → after-commit faults → response + journal.
 * Every response carries X-Request-Id, JSON Content-Type and the rate-limit headers.
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

    ApiHandler(Auth auth, RateLimiter rateLimiter, Faults faults, Journal journal, Operations operations, Clock clock,
               AdminHandler admin) {
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
            if (ex.getRequestURI().getRawPath().startsWith("/__admin")) {
                admin.handle(ex);
            } else {
                serve(ex);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sandbox handler failed", e);
        } finally {
            ex.close();   // without a sent response this drops the connection (reset-after-commit relies on it)
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String requestId = Ids.requestId();
        Instant received = clock.instant();
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        int status;
        byte[] out;
        try {
            Operation.Match match = Operation.match(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
            String route = match.op().id;
            RateLimiter.Decision rate = rateLimiter.count(ex.getRemoteAddress().getAddress().getHostAddress());
            headers.putAll(rate.headers());
            Integer burst = faults.takeBurst(route);
            Integer retryAfter = burst != null ? burst : rate.retryAfterSeconds();
            if (retryAfter != null) {
                throw ApiException.rateLimited("rate_limited", "Too many requests", retryAfter);
            }
            Partner partner = auth.authenticate(ex.getRequestHeaders().getFirst("Authorization"), match.op());
            Call call = new Call(match.op(), match.param(), partner, ex.getRequestURI().getRawPath(),
                    query(ex.getRequestURI().getRawQuery()), body, ex.getRequestHeaders().getFirst("Idempotency-Key"));
            if (match.op() != Operation.TRANSACT) {
                faults.beforeCommit(route);   // transact runs it itself, after claiming the Idempotency-Key
            }
            Reply reply = operations.handle(call);
            switch (faults.afterCommit(route)) {
                case RESET -> {
                    // applied, but the client never hears back: close the connection without a status line
                    journal.record(ex, body, 0, requestId, received);
                    return;
                }
                case FAIL -> throw ApiException.serverError();
                default -> { }
            }
            status = reply.status();
            out = reply.body();
        } catch (ApiException e) {
            status = e.status;
            headers.putAll(e.headers);
            out = envelope(e, requestId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
            ApiException generic = ApiException.serverError();
            status = generic.status;
            out = envelope(generic, requestId);
        }
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("X-Request-Id", requestId);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        journal.record(ex, body, status, requestId, received);
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    static byte[] envelope(ApiException e, String requestId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type);
        m.put("code", e.code);
        m.put("message", e.status >= 500 ? "An internal error occurred" : e.getMessage());
        m.put("request_id", requestId);
        m.put("doc_url", null);
        m.put("statusCode", e.status);
        return Json.write(m);
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

    /** Thread-safe request journal with Authorization masked. */
    static final class Journal {
        private final List<RecordedRequest> entries = new ArrayList<>();

        void record(HttpExchange ex, byte[] body, int status, String requestId, Instant received) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, k.equalsIgnoreCase("Authorization")
                    ? v.stream().map(RecordedRequest::maskAuthorization).toList() : List.copyOf(v)));
            String raw = ex.getRequestURI().getRawQuery();
            String path = ex.getRequestURI().getRawPath() + (raw == null ? "" : "?" + raw);
            RecordedRequest r = new RecordedRequest(ex.getRequestMethod(), path, headers, body, status, requestId, received);
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
