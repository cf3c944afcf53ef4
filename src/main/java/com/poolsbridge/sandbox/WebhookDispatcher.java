package com.poolsbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Terminal-event webhooks (§6, G-10, G-11): asynchronous, signed, at-least-once with the configured backoff.
 * The body is serialized once so every retry carries the same bytes (only the signature timestamp changes).
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());
    private final SandboxConfig.WebhookSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });

    WebhookDispatcher(SandboxConfig.WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(settings.timeoutSeconds())).build();
    }

    void publish(Partner partner, Map<String, Object> trade, String type) {
        String url = partner.webhookUrl();
        if (url == null || url.isBlank()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", sha256Hex(trade.get("transactId") + ":" + type));
        event.put("type", type);
        event.putAll(trade);
        event.put("occurredAt", trade.get("updatedAt"));
        byte[] body = Json.write(event);
        scheduler.execute(() -> attempt(url, partner.webhookSecret(), (String) event.get("eventId"), type, body, 1));
    }

    private void attempt(String url, String secret, String eventId, String type, byte[] body, int attempt) {
        long t = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .header("Content-Type", "application/json")
                .header(settings.signatureHeader(), WebhookSigner.sign(secret, t, body))
                .header("X-0bit-Event-Id", eventId)
                .header("X-0bit-Event-Type", type)
                .header("X-0bit-Timestamp", String.valueOf(t))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            boolean ok = err == null && resp.statusCode() >= 200 && resp.statusCode() < 300;
            if (!ok) {
                retry(url, secret, eventId, type, body, attempt, err != null ? err.toString() : "HTTP " + resp.statusCode());
            }
        });
    }

    private void retry(String url, String secret, String eventId, String type, byte[] body, int attempt, String why) {
        if (attempt >= settings.maxAttempts() || scheduler.isShutdown()) {
            LOG.log(System.Logger.Level.WARNING, "webhook {0} {1} dead-lettered after {2} attempts: {3}",
                    type, eventId, attempt, why);
            return;
        }
        List<Duration> backoff = settings.backoff();
        Duration delay = backoff.isEmpty() ? Duration.ofSeconds(1) : backoff.get(Math.min(attempt - 1, backoff.size() - 1));
        try {
            scheduler.schedule(() -> attempt(url, secret, eventId, type, body, attempt + 1),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // sandbox closed while a retry was pending: nothing left to deliver to
        }
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
