package com.poolsbridge.settlement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.CallClass;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settlement poller's steps (routes/settlement-poller.camel.yaml): due trades, one poll's outcome, trades
 * recorded terminal, the returned read, stuck trades and re-publishing. An observed status becomes a settlement
 * only on a legal forward transition; each (transactId, status) produces one settlement_event row and therefore
 * one message on pools.settlements.
 */
public class SettlementPoller {

    private static final Logger LOG = LoggerFactory.getLogger(SettlementPoller.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** the trades list filters on 0Pools' createdAt, the watch on our reserved_at: allow for the two clocks */
    private static final long RETURNED_READ_MARGIN_MS = 600_000;
    /** the contract's maximum page */
    private static final int RETURNED_PAGE_SIZE = 100;

    private final SettlementStore store;
    private final SettlementSettings settings;
    private final Clock clock;
    private final Supplier<MeterRegistry> meters;
    private volatile Counter stuckCounter;

    /** @param meters looked up on first use: Camel's Prometheus registry exists only once the context started */
    public SettlementPoller(SettlementStore store, SettlementSettings settings, Clock clock, Supplier<MeterRegistry> meters) {
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
        return PoolsRequest.get("getTransactionByQuote", "/pools/transactions/" + trade.quoteId(), null).as(CallClass.statusPoll(trade.tradeStatus(), trade.pollCount()));
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
        store.polled(due.orderId(), null);
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
        store.polled(due.orderId(), e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage());
        if (cycle != null) {
            cycle.countPoll();
        }
    }


    private List<Publication> apply(String transactId, String observed, JsonNode trade, String source, String requestId,
                                    String eventId, Instant occurredAt) {
        SettlementStore.Applied applied = store.apply(transactId, observed, trade.toString(), source, requestId,
                eventId, occurredAt,
                (orderId, status, previous) -> SettlementMessages.settlement(orderId, trade, status, previous, source, requestId, eventId, occurredAt));
        switch (applied.result()) {
            case ILLEGAL -> LOG.warn("{}: illegal transition {} -> {} of trade {} (order {}) ignored (request {})",
                    source, applied.previousStatus(), observed, transactId, applied.orderId(), requestId);
            case UNKNOWN_TRADE -> {
                if (!"read".equals(source)) {   // a list read may name trades no order of ours is watching
                    LOG.warn("{}: status {} for unknown trade {} ignored (request {})", source, observed, transactId, requestId);
                }
            }
            case APPLIED -> LOG.info("trade {} (order {}) {} -> {} seen by {} (request {})", transactId,
                    applied.orderId(), applied.previousStatus(), observed, source, requestId);
            default -> { }
        }
        return applied.publications();
    }

    // --- trades recorded terminal by the order route ---

    /**
     * Settlements owed for trades that were already terminal when the order route recorded them (transact or the
     * lookup answered settled/failed/…): applied from the recorded trade, no 0Pools call needed.
     */
    public List<Publication> settleRecorded() throws Exception {
        List<Publication> out = new ArrayList<>();
        for (SettlementStore.RecordedTerminal t : store.recordedTerminal(settings.batchSize())) {
            JsonNode trade = t.tradeJson() == null ? MAPPER.createObjectNode() : MAPPER.readTree(t.tradeJson());
            out.addAll(apply(t.transactId(), t.status(), trade, "transact", null, null,
                    instant(trade.path("updatedAt").asText(null))));
        }
        return out;
    }

    // --- returned detection: one list read per interval for every watched trade ---

    /** A returned read, or null when no settled trade is watched (then the read would only spend budget). */
    public ReturnedRead newReturnedRead() {
        return store.oldestWatched(RETURNED_READ_MARGIN_MS).map(ReturnedRead::new).orElse(null);
    }

    /** GET /pools/trades?status=returned&created_after=… (100 per page, newest first), the next page. */
    public PoolsRequest returnedPageRequest(ReturnedRead read) {
        return PoolsRequest.get("listTrades", "/pools/trades", "status=returned&created_after="
                + encode(read.createdAfter().toString()) + "&limit=" + RETURNED_PAGE_SIZE
                + (read.cursor() == null ? "" : "&cursor=" + encode(read.cursor()))).as(CallClass.RETURNED_WATCH);
    }

    /** Applies settled → returned for every listed trade we watch; the rest of the page is someone else's. */
    public List<Publication> applyReturnedPage(ReturnedRead read, String body, String requestId) throws Exception {
        JsonNode page = MAPPER.readTree(body);
        List<Publication> out = new ArrayList<>();
        for (JsonNode trade : page.path("data")) {
            String transactId = trade.path("transactId").asText(null);
            if (transactId != null && "returned".equals(trade.path("status").asText(null))) {
                out.addAll(apply(transactId, "returned", trade, "read", requestId, null,
                        instant(trade.path("updatedAt").asText(null))));
            }
        }
        read.next(page.path("hasMore").asBoolean(false) ? page.path("nextCursor").asText(null) : null);
        return out;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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

    /** The settlement was sent: no need to re-send it. */
    public void published(Publication p) {
        store.published(p.transactId(), p.status());
    }

    // --- stuck trades ---

    public List<StuckTrade> stuckTrades() {
        return store.stuck(settings.stuckAfterMs(), settings.batchSize());
    }

    /** The reconciliation alert of a trade reserved too long (logged at WARN). */
    public String stuckAlert(StuckTrade t) {
        LOG.warn("trade {} (order {}, quote {}) still reserved since {} after {} polls", t.transactId(), t.orderId(),
                t.quoteId(), t.reservedAt(), t.pollCount());
        return SettlementMessages.stuckAlert(t, clock.instant());
    }

    public void stuckAlerted(StuckTrade t) {
        if (store.stuckReported(t.orderId())) {
            stuckCounter().increment();
        }
    }
}
