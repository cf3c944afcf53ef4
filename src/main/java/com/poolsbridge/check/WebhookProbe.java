package com.poolsbridge.check;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import com.poolsbridge.settlement.WebhookVerifier;

/**
 * Delivers a test event to the bridge's webhook endpoint the way 0Pools would (signed with the configured
 * {@code whsec_} secret), then the same event with a wrong signature. This is a call to the bank's own endpoint,
 * not to 0Pools: it trusts what the JVM trusts and never follows a redirect.
 */
final class WebhookProbe {

    /** The event's type: stored by the endpoint like any delivery and never applied to a trade. */
    static final String TEST_TYPE = "pool.check.test";

    record Outcome(String endpoint, String eventId, int signedStatus, int tamperedStatus) {
    }

    private final WebhookVerifier signer;
    private final String signatureHeader;
    private final Clock clock;
    private final HttpClient http;

    WebhookProbe(WebhookVerifier signer, String signatureHeader, Duration timeout, Clock clock) {
        this.signer = signer;
        this.signatureHeader = signatureHeader;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Outcome probe(String url) {
        String eventId = "check-" + UUID.randomUUID();
        byte[] body = ("{\"eventId\":\"" + eventId + "\",\"type\":\"" + TEST_TYPE + "\",\"occurredAt\":\""
                + clock.instant() + "\"}").getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        int signed = post(url, body, signer.sign(now, body));
        int tampered = post(url, body, signer.sign(now, "{}".getBytes(StandardCharsets.UTF_8)));
        URI uri = URI.create(url);
        return new Outcome(uri.getScheme() + "://" + uri.getAuthority() + uri.getPath(), eventId, signed, tampered);
    }

    private int post(String url, byte[] body, String signature) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header(signatureHeader, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new CheckFailure("webhook endpoint " + URI.create(url).getAuthority() + " unreachable: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure("interrupted while calling the webhook endpoint");
        }
    }
}
