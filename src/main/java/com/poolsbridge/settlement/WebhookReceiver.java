package com.poolsbridge.settlement;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    public static final String EVENT_ID_PROPERTY = "webhookEventId";
    public static final String NEW_PROPERTY = "webhookNew";

    private final WebhookVerifier verifier;
    private final SettlementStore store;

    public WebhookReceiver(WebhookVerifier verifier, SettlementStore store) {
        this.verifier = verifier;
        this.store = store;
    }

    public void receive(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] raw = message.getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        long timestamp = verifier.verify(name -> message.getHeader(name, String.class), raw);
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
        exchange.setProperty(EVENT_ID_PROPERTY, eventId);
        exchange.setProperty(NEW_PROPERTY, fresh && TYPES.contains(type));
        if (fresh && !TYPES.contains(type)) {
            store.webhookProcessed(eventId, "ignored");
        }
    }
}
