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
 * POST/DELETE /__admin/faults, GET/DELETE /__admin/journal, POST /__admin/partners/{id},
 * POST /__admin/partners/{id}/payins, POST /__admin/pools/{id}, GET/POST /__admin/rate-limits.
 */
final class AdminHandler {
    private static final String PARTNERS = "/__admin/partners/";
    private static final String POOLS = "/__admin/pools/";
    private final PoolsSandbox sandbox;

    AdminHandler(PoolsSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void handle(HttpExchange ex) throws IOException {
        String requestId = Ids.requestId();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        int status = 200;
        Object out = Map.of("ok", true);
        try {
            if (path.equals("/__admin/faults") && method.equals("POST")) {
                sandbox.faults().apply(Json.MAPPER.readValue(body, SandboxConfig.FaultSpec.class));
            } else if (path.equals("/__admin/faults") && method.equals("DELETE")) {
                sandbox.faults().clear();
            } else if (path.equals("/__admin/journal") && method.equals("GET")) {
                out = sandbox.journal().stream().map(AdminHandler::view).toList();
            } else if (path.equals("/__admin/journal") && method.equals("DELETE")) {
                sandbox.clearJournal();
            } else if (path.equals("/__admin/rate-limits") && method.equals("GET")) {
                out = sandbox.rateLimits();
            } else if (path.equals("/__admin/rate-limits") && method.equals("POST")) {
                sandbox.setRateLimits(rateLimits(sandbox.rateLimits(), Json.read(body)));
                out = sandbox.rateLimits();
            } else if (path.startsWith(PARTNERS) && path.endsWith("/payins") && method.equals("POST")) {
                String id = path.substring(PARTNERS.length(), path.length() - "/payins".length());
                sandbox.payIn(id, new BigDecimal(Json.read(body).path("amount").asText()));
            } else if (path.startsWith(PARTNERS) && method.equals("POST")) {
                String id = path.substring(PARTNERS.length());
                JsonNode patch = Json.read(body);
                sandbox.updatePartner(id, p -> patch(p, patch));
                out = Map.of("ok", true, "partnerId", id);
            } else if (path.startsWith(POOLS) && method.equals("POST")) {
                JsonNode n = Json.read(body);
                sandbox.setPoolAvailable(path.substring(POOLS.length()), n.path("available").asBoolean(true),
                        n.hasNonNull("unavailableReason") ? n.get("unavailableReason").asText() : null);
            } else {
                throw ApiException.notFound();
            }
        } catch (ApiException e) {
            status = e.status;
            out = Json.MAPPER.readTree(e.envelope(requestId));
        } catch (IOException | IllegalArgumentException e) {
            status = 400;
            out = Json.MAPPER.readTree(ApiException.invalid("invalid_request", e.getMessage()).envelope(requestId));
        }
        byte[] bytes = Json.write(out);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Request-Id", requestId);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Fields present replace the current ones: {"enabled":true} switches enforcement on at the current tiers. */
    private static SandboxConfig.RateLimits rateLimits(SandboxConfig.RateLimits current, JsonNode n) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode merged = Json.MAPPER.valueToTree(current);
        merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) n);
        return Json.MAPPER.treeToValue(merged, SandboxConfig.RateLimits.class);
    }

    /** Applies only the fields present; an explicit null clears webhookUrl / velocityCapEur. */
    private static void patch(Partner p, JsonNode n) {
        if (n.has("status")) p.status(n.get("status").asText());
        if (n.has("kycStatus")) p.kycStatus(n.get("kycStatus").asText());
        if (n.has("productEnabled")) p.productEnabled(n.get("productEnabled").asBoolean());
        if (n.has("balance")) p.balance(new BigDecimal(n.get("balance").asText()));
        if (n.has("offRampEnabled")) p.offRampEnabled(n.get("offRampEnabled").asBoolean());
        if (n.has("keysRevoked")) p.keysRevoked(n.get("keysRevoked").asBoolean());
        if (n.has("webhookUrl")) p.webhookUrl(n.get("webhookUrl").isNull() ? null : n.get("webhookUrl").asText());
        if (n.has("velocityCapEur")) {
            p.velocityCapEur(n.get("velocityCapEur").isNull() ? null : new BigDecimal(n.get("velocityCapEur").asText()));
        }
    }

    private static Map<String, Object> view(RecordedRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("path", r.pathAndQuery());
        m.put("scheme", r.scheme());
        m.put("authorizationPresent", r.authorizationPresent());
        m.put("headers", r.headers());
        m.put("body", r.bodyText());
        m.put("bodyBase64", Base64.getEncoder().encodeToString(r.body()));
        m.put("status", r.status());
        m.put("requestId", r.requestId());
        m.put("receivedAt", Money.time(r.receivedAt()));
        return m;
    }

}
