package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-control endpoints (not part of the 0Pools contract, not journaled, not throttled):
 * POST/DELETE /__admin/faults, GET/DELETE /__admin/journal, POST /__admin/partners/{id}.
 */
final class AdminHandler {
    private final Faults faults;
    private final ApiHandler.Journal journal;
    private final Map<String, Partner> partners;

    AdminHandler(Faults faults, ApiHandler.Journal journal, Map<String, Partner> partners) {
        this.faults = faults;
        this.journal = journal;
        this.partners = partners;
    }

    void handle(HttpExchange ex) throws IOException {
        String requestId = Ids.requestId();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        int status = 200;
        Object out;
        try {
            if (path.equals("/__admin/faults") && method.equals("POST")) {
                faults.apply(Json.MAPPER.readValue(body, SandboxConfig.FaultSpec.class));
                out = Map.of("ok", true);
            } else if (path.equals("/__admin/faults") && method.equals("DELETE")) {
                faults.clear();
                out = Map.of("ok", true);
            } else if (path.equals("/__admin/journal") && method.equals("GET")) {
                out = journal.snapshot().stream().map(AdminHandler::view).toList();
            } else if (path.equals("/__admin/journal") && method.equals("DELETE")) {
                journal.clear();
                out = Map.of("ok", true);
            } else if (path.startsWith("/__admin/partners/") && method.equals("POST")) {
                Partner p = partners.get(path.substring("/__admin/partners/".length()));
                if (p == null) {
                    throw ApiException.notFound();
                }
                patch(p, Json.read(body));
                out = Map.of("ok", true, "partnerId", p.id());
            } else {
                throw ApiException.notFound();
            }
        } catch (ApiException e) {
            status = e.status;
            out = Json.MAPPER.readTree(ApiHandler.envelope(e, requestId));
        } catch (IOException | IllegalArgumentException e) {
            status = 400;
            out = Json.MAPPER.readTree(ApiHandler.envelope(ApiException.invalid("invalid_request", e.getMessage()), requestId));
        }
        byte[] bytes = Json.write(out);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Request-Id", requestId);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Applies only the fields present; an explicit null clears webhookUrl / velocityCapEur. */
    private static void patch(Partner p, JsonNode n) {
        if (n.has("status")) p.status(n.get("status").asText());
        if (n.has("kycStatus")) p.kycStatus(n.get("kycStatus").asText());
        if (n.has("productEnabled")) p.productEnabled(n.get("productEnabled").asBoolean());
        if (n.has("balance")) p.balance(new BigDecimal(n.get("balance").asText()));
        if (n.has("offRampEnabled")) p.offRampEnabled(n.get("offRampEnabled").asBoolean());
        if (n.has("webhookUrl")) p.webhookUrl(n.get("webhookUrl").isNull() ? null : n.get("webhookUrl").asText());
        if (n.has("velocityCapEur")) {
            p.velocityCapEur(n.get("velocityCapEur").isNull() ? null : new BigDecimal(n.get("velocityCapEur").asText()));
        }
    }

    private static Map<String, Object> view(RecordedRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("path", r.pathAndQuery());
        m.put("headers", r.headers());
        m.put("body", r.bodyText());
        m.put("bodyBase64", Base64.getEncoder().encodeToString(r.body()));
        m.put("status", r.status());
        m.put("requestId", r.requestId());
        m.put("receivedAt", Money.time(r.receivedAt()));
        return m;
    }

}
