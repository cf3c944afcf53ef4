package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts a sandbox on an ephemeral port and offers small HTTP helpers for contract tests. */
abstract class SandboxTestSupport {
    static final String SK = "sk_test_demobank_0000000000000001";
    static final String PK = "pk_test_demobank_0000000000000001";
    static final String OTHER_SK = "sk_test_otherbank_0000000000000001";
    static final String TRON = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8";
    static final String ETH = "0x52908400098527886E0F7030069857D2E4169EE7";
    static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    PoolsSandbox sandbox;

    PoolsSandbox start(SandboxConfig config) {
        sandbox = PoolsSandbox.start(config, 0, clock);
        return sandbox;
    }

    PoolsSandbox start() {
        return start(SandboxConfig.defaults());
    }

    @AfterEach
    void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    record Res(int status, JsonNode json, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String code() {
            return json.path("code").asText(null);
        }
    }

    Res get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    Res post(String path, String key, String body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.build());
    }

    Res send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            return new Res(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Firm on-ramp quote on EUR-USDT for the demo partner; returns its quoteId. */
    String firmQuote(String amount) {
        Res r = post("/pools/EUR-USDT/quote", SK, onRamp(amount), null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.json().get("available").asBoolean()).isTrue();
        return r.json().get("quoteId").asText();
    }

    static String onRamp(String amount) {
        return "{\"side\":\"on_ramp\",\"amount\":\"" + amount + "\",\"cryptoNetwork\":\"tron\",\"destAddress\":\"" + TRON + "\"}";
    }

    Res transact(String quoteId, String idempotencyKey) {
        return post("/pools/EUR-USDT/transact", SK, "{\"quoteId\":\"" + quoteId + "\"}", idempotencyKey);
    }

    void assertError(Res r, int status, String type, String code) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
        assertThat(r.json().get("type").asText()).isEqualTo(type);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        assertThat(r.json().get("statusCode").asInt()).isEqualTo(status);
        assertThat(r.json().has("doc_url")).isTrue();
        assertThat(r.json().get("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
        assertThat(r.header("X-Request-Id")).matches("req_[A-Z2-7]{24}");
    }
}
