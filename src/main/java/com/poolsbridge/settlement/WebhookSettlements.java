package com.poolsbridge.settlement;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook processing (routes/webhooks.camel.yaml): a stored, acknowledged webhook becomes a settlement by the
 * same legal-transition rule as a poll (source=webhook); a replay or a second processing finds nothing to do.
 */
public class WebhookSettlements {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSettlements.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SettlementStore store;
    private final SettlementSettings settings;
    private final Clock clock;

    public WebhookSettlements(SettlementStore store, SettlementSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Processes a stored webhook once it was acknowledged; a replay or second processing finds nothing to do. */
    public List<Publication> applyWebhook(String eventId) throws Exception {
        Optional<SettlementStore.StoredWebhook> stored = store.unprocessedWebhook(eventId);
        if (stored.isEmpty()) {
            return List.of();
        }
        JsonNode event = MAPPER.readTree(stored.get().rawBody());
        String transactId = event.path("transactId").asText(null);
        String status = event.path("status").asText(statusOf(stored.get().type()));
        if (transactId == null || status == null) {
            LOG.warn("webhook {} ({}) carries no transactId/status; stored, not applied", eventId, stored.get().type());
            store.webhookProcessed(eventId, "ignored");
            return List.of();
        }
        String occurred = event.path("occurredAt").asText(event.path("updatedAt").asText(null));
        SettlementStore.Applied applied = store.apply(transactId, status, null, "webhook", null, eventId,
                instant(occurred),
                (orderId, step, previous) -> SettlementMessages.settlement(orderId, event, step, previous, "webhook", null, eventId, instant(occurred)));
        String outcome = switch (applied.result()) {
            case APPLIED -> "applied";
            case ALREADY -> "duplicate";
            case ILLEGAL -> "ignored";
            case UNKNOWN_TRADE -> "unknown_trade";
        };
        if (applied.result() == SettlementStore.Result.UNKNOWN_TRADE) {
            LOG.warn("webhook {} ({}) for unknown trade {}: stored, no settlement", eventId, stored.get().type(), transactId);
        } else if (applied.result() == SettlementStore.Result.ILLEGAL) {
            LOG.warn("webhook {}: illegal transition {} -> {} of trade {} (order {}) ignored", eventId,
                    applied.previousStatus(), status, transactId, applied.orderId());
        }
        store.webhookProcessed(eventId, outcome);
        return applied.publications();
    }

    public List<String> pendingWebhooks() {
        return store.unprocessedWebhooks(settings.webhookRetryAfterMs(), settings.batchSize());
    }

    private static String statusOf(String type) {
        return type != null && type.startsWith("pool.transaction.") ? type.substring("pool.transaction.".length()) : null;
    }

    private Instant instant(String iso) {
        try {
            return iso == null ? clock.instant() : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
