package com.poolsbridge.settlement;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook intake: verify the signature on the raw bytes, only then parse, then store once per eventId. Processing
 * happens after the 200 reply (route webhook-process, and the poller cycle for anything left unprocessed).
 */
public class WebhookReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EVENT_ID = Pattern.compile("[0-9A-Za-z_:-]{1,128}");
    // fits webhook_event.type and is safe to log: no control characters from outside
    private static final Pattern TYPE = Pattern.compile("[0-9A-Za-z_.:-]{1,64}");
    private static final Set<String> TYPES = Set.of("pool.transaction.settled", "pool.transaction.failed",
            "pool.transaction.released");

    /** A verified, stored event: its id, and whether it is new and of a type this bridge processes. */
    public record Stored(String eventId, boolean toProcess) {
    }

    private final WebhookVerifier verifier;
    private final SettlementStore store;

    public WebhookReceiver(WebhookVerifier verifier, SettlementStore store) {
        this.verifier = verifier;
        this.store = store;
    }

    /** @param headers the request's headers (Camel's map: names are case-insensitive) */
    public Stored receive(byte[] body, Map<String, Object> headers) {
        byte[] raw = body == null ? new byte[0] : body;
        long timestamp = verifier.verify(name -> headers.get(name) == null ? null : headers.get(name).toString(), raw);
        JsonNode event;
        try {
            event = MAPPER.readTree(raw);
        } catch (Exception e) {
            throw new WebhookRejectedException("invalid_payload", "signed body is not JSON");
        }
        String eventId = event == null ? null : event.path("eventId").asText(null);
        String type = event == null ? null : event.path("type").asText(null);
        if (eventId == null || !EVENT_ID.matcher(eventId).matches() || type == null || !TYPE.matcher(type).matches()) {
            throw new WebhookRejectedException("invalid_payload", "webhook without a valid eventId/type");
        }
        String transactId = event.path("transactId").asText(null);
        if (!TYPES.contains(type)) {
            LOG.warn("webhook {} of unexpected type {} stored without processing", eventId, type);
        }
        boolean fresh = store.storeWebhook(eventId, type, transactId, timestamp, new String(raw, StandardCharsets.UTF_8));
        if (!fresh) {
            LOG.info("webhook {} ({}) replayed: already stored", eventId, type);
        }
        if (fresh && !TYPES.contains(type)) {
            store.webhookProcessed(eventId, "ignored");
        }
        return new Stored(eventId, fresh && TYPES.contains(type));
    }
}
