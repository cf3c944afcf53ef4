package com.poolsbridge.settlement;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;
import com.poolsbridge.pools.PoolsJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an observed trade status becomes a settlement: used by the poller (source=poll) and by
 * webhook processing (source=webhook). Only legal forward transitions are applied; each (transactId, status)
 * produces one settlement_event row and therefore one message on pools.settlements.
 */
public class SettlementService {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementService.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final String CYCLE = "settlementCycle";
    public static final String TRADE = "settlementTrade";

    /** Operator settings of the settlement poller (config/application.properties, section settlement). */
    public record Settings(int batchSize, long initialDelayMs, long backoffInitialMs, double backoffMultiplier,
                           long backoffMaxMs, long watchMs, long watchIntervalMs, long stuckAfterMs,
                           long republishAfterMs, long webhookRetryAfterMs) {
    }

    private final SettlementStore store;
    private final Settings settings;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;
    private volatile Counter stuckCounter;

    /** @param meters looked up on first use: Camel's Prometheus registry exists only once the context started */
    public SettlementService(SettlementStore store, Settings settings, Clock clock, Supplier<MeterRegistry> meters) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** Counter pools.settlement.stuck.reserved: trades still reserved after settlement.stuck-after-ms. */
    public Counter stuckCounter() {
        if (stuckCounter == null) {
            stuckCounter = Counter.builder("pools.settlement.stuck.reserved")
                    .description("trades still reserved after settlement.stuck-after-ms (reported once each)")
                    .register(meters.get());
        }
        return stuckCounter;
    }

    public SettlementStore store() {
        return store;
    }

    // --- poller ---

    public PollCycle newCycle() {
        return new PollCycle();
    }

    public List<DueTrade> dueTrades() {
        return store.due(settings.batchSize(), settings.initialDelayMs());
    }

    /** GET /pools/transactions/{quoteId} of a due trade. */
    public PoolsRequest pollRequest(DueTrade trade) {
        return PoolsRequest.get("getTransactionByQuote", "/pools/transactions/" + trade.quoteId(), null);
    }

    /**
     * The poll answered 2xx: apply the status, reschedule, stop the cycle when the server's budget is spent
     * ({@code rateRemaining} = X-RateLimit-Remaining-short of the answer, null when not sent).
     */
    public List<Publication> applyPoll(DueTrade due, PollCycle cycle, String body, String requestId,
                                       String rateRemaining) throws Exception {
        JsonNode trade = MAPPER.readTree(body);
        String observed = trade.path("status").asText(null);
        String transactId = trade.path("transactId").asText(due.transactId());
        List<Publication> out = List.of();
        if (observed == null) {
            LOG.warn("poll of trade {} (order {}) returned no status (request {})", transactId, due.orderId(), requestId);
        } else {
            out = apply(transactId, observed, trade, "poll", requestId, null, instant(trade.path("updatedAt").asText(null)));
        }
        store.polled(due.orderId(), null, settings.backoffInitialMs(), settings.backoffMultiplier(),
                settings.backoffMaxMs(), settings.watchIntervalMs());
        if (cycle != null) {
            cycle.countPoll();
            if ("0".equals(rateRemaining)) {
                cycle.stop("X-RateLimit-Remaining-short reached 0");
            }
        }
        return out;
    }

    /** The poll failed: a 429 ends the cycle (the trade stays due); anything else backs the trade off. */
    public void pollFailed(DueTrade due, PollCycle cycle, Exception e) {
        if (e instanceof PoolsApiException.RateLimited limited) {
            if (cycle != null) {
                cycle.stop("429 rate_limited, Retry-After-short " + limited.retryAfterSeconds() + " s");
            }
            LOG.info("settlement poll cycle ends early: 429 for trade {} (request {}); the rest stays due",
                    due.transactId(), limited.requestId());
            return;
        }
        LOG.warn("poll of trade {} (order {}) failed, backing off: {}", due.transactId(), due.orderId(),
                e == null ? "unknown" : e.getMessage());
        store.polled(due.orderId(), e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage(),
                settings.backoffInitialMs(), settings.backoffMultiplier(), settings.backoffMaxMs(),
                settings.watchIntervalMs());
        if (cycle != null) {
            cycle.countPoll();
        }
    }

    // --- webhooks ---

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
                instant(occurred), settings.watchMs(),
                (orderId, previous) -> message(orderId, event, status, previous, "webhook", null, eventId, instant(occurred)));
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
        return applied.publication() == null ? List.of() : List.of(applied.publication());
    }

    public List<String> pendingWebhooks() {
        return store.unprocessedWebhooks(settings.webhookRetryAfterMs(), settings.batchSize());
    }

    // --- shared transition logic ---

    private List<Publication> apply(String transactId, String observed, JsonNode trade, String source, String requestId,
                                    String eventId, Instant occurredAt) {
        SettlementStore.Applied applied = store.apply(transactId, observed, trade.toString(), source, requestId,
                eventId, occurredAt, settings.watchMs(),
                (orderId, previous) -> message(orderId, trade, observed, previous, source, requestId, eventId, occurredAt));
        switch (applied.result()) {
            case ILLEGAL -> LOG.warn("{}: illegal transition {} -> {} of trade {} (order {}) ignored (request {})",
                    source, applied.previousStatus(), observed, transactId, applied.orderId(), requestId);
            case UNKNOWN_TRADE -> LOG.warn("{}: status {} for unknown trade {} ignored (request {})", source, observed,
                    transactId, requestId);
            case APPLIED -> LOG.info("trade {} (order {}) {} -> {} seen by {} (request {})", transactId,
                    applied.orderId(), applied.previousStatus(), observed, source, requestId);
            default -> { }
        }
        return applied.publication() == null ? List.of() : List.of(applied.publication());
    }

    /** The settlement message (schemas/settlement.schema.json), built once and stored with its row. */
    static String message(String orderId, JsonNode trade, String status, String previous, String source,
                          String requestId, String eventId, Instant occurredAt) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("orderId", orderId);
        m.put("transactId", PoolsJson.text(trade, "transactId"));
        m.put("quoteId", PoolsJson.text(trade, "quoteId"));
        m.put("poolId", PoolsJson.text(trade, "poolId"));
        m.put("side", PoolsJson.text(trade, "side"));
        m.put("status", status);
        m.put("previousStatus", previous);
        m.put("fiatCurrency", PoolsJson.text(trade, "fiatCurrency"));
        m.put("cryptoCurrency", PoolsJson.text(trade, "cryptoCurrency"));
        m.put("fiatAmount", PoolsJson.text(trade, "fiatAmount"));
        m.put("cryptoAmount", PoolsJson.text(trade, "cryptoAmount"));
        m.put("rate", PoolsJson.text(trade, "rate"));
        putInt(m, trade, "spreadBps");
        putInt(m, trade, "feeBps");
        putInt(m, trade, "totalBps");
        m.put("cryptoNetwork", PoolsJson.text(trade, "cryptoNetwork"));
        m.put("occurredAt", occurredAt.toString());
        m.put("source", source);
        m.put("requestId", requestId);
        m.put("eventId", eventId);
        return m.toString();
    }

    private static void putInt(ObjectNode m, JsonNode trade, String field) {
        JsonNode v = trade.get(field);
        if (v == null || v.isNull()) {
            m.putNull(field);
        } else {
            m.put(field, v.asInt());
        }
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

    // --- publishing ---

    public List<Publication> unpublished() {
        return store.unpublished(settings.republishAfterMs(), settings.batchSize());
    }

    /** Body = one Publication → the stored JSON with correlation and duplicate-detection headers. */
    public void preparePublication(Exchange exchange) {
        Publication p = exchange.getMessage().getBody(Publication.class);
        exchange.setProperty("settlementPublication", p);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(p.json());
        message.setHeader("JMSCorrelationID", p.orderId());
        message.setHeader("_AMQ_DUPL_ID", p.duplicateId());
        message.setHeader("PoolsSettlementStatus", p.status());
    }

    public void published(Exchange exchange) {
        Publication p = exchange.getProperty("settlementPublication", Publication.class);
        store.published(p.transactId(), p.status());
    }

    // --- stuck trades ---

    public List<StuckTrade> stuckTrades() {
        return store.stuck(settings.stuckAfterMs(), settings.batchSize());
    }

    /** Body = one StuckTrade → the reconciliation alert; WARN log and counter. */
    public void prepareStuckAlert(Exchange exchange) {
        StuckTrade t = exchange.getMessage().getBody(StuckTrade.class);
        exchange.setProperty("settlementStuck", t);
        LOG.warn("trade {} (order {}, quote {}) still reserved since {} after {} polls", t.transactId(), t.orderId(),
                t.quoteId(), t.reservedAt(), t.pollCount());
        // same shape as the reconciliation walk's findings (schemas/reconciliation.schema.json): one format per queue
        ObjectNode m = MAPPER.createObjectNode();
        m.put("kind", "stuck_reserved");
        m.put("runId", "settlement-poller");
        m.put("detectedAt", clock.instant().toString());
        m.put("orderId", t.orderId());
        m.put("transactId", t.transactId());
        m.put("quoteId", t.quoteId());
        m.putNull("poolId");
        m.putNull("side");
        ObjectNode status = m.putObject("status");
        status.put("ours", "reserved");
        status.putNull("theirs");
        m.putObject("amounts");
        m.putArray("differences");
        m.put("detail", "reserved since " + t.reservedAt() + " after " + t.pollCount() + " status polls");
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(m.toString());
        message.setHeader("JMSCorrelationID", t.orderId());
        message.setHeader("_AMQ_DUPL_ID", "stuck_reserved:" + t.transactId());
    }

    public void stuckAlerted(Exchange exchange) {
        StuckTrade t = exchange.getProperty("settlementStuck", StuckTrade.class);
        if (store.stuckReported(t.orderId())) {
            stuckCounter().increment();
        }
    }
}
