package com.poolsbridge.reconciliation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.pools.CallClass;
import com.poolsbridge.pools.PoolsRequest;
import com.poolsbridge.pools.PoolsJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walk's steps (routes/reconciliation.camel.yaml); the walk state travels in exchange property reconWalk.
 * The ledger is read newest first down to the last walk's watermark. Trades are walked newest first with the
 * cursor persisted after each fully processed page; a walk stops at the end of the list or at the first trade
 * that the last complete walk already covered (watermark) and that is older than the recheck window (younger
 * trades can still change status, so every walk looks at them again); a settled trade returned later is found
 * in the returned trades the settlement poller's returned read listed within the returned window (one read per
 * interval serves both). Findings are stored first (deduplicated per run
 * and subject) and published from the table (outbox), each with a broker duplicate id.
 */
public class ReconciliationWalk {

    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationWalk.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final ReconciliationStore store;
    private final TradeComparator comparator;
    private final ReconciliationSettings settings;
    private final Clock clock;
    private final String owner = "recon-" + UUID.randomUUID();

    public ReconciliationWalk(ReconciliationStore store, TradeComparator comparator, ReconciliationSettings settings,
                              Clock clock) {
        this.store = store;
        this.comparator = comparator;
        this.settings = settings;
        this.clock = clock;
    }

    /** Takes the lease and loads the walk in progress or starts a run; null when another replica walks. */
    public WalkState begin() {
        if (!store.lease(settings.walkName(), owner, settings.lease().toMillis())) {
            LOG.info("reconciliation walk {} is running elsewhere; skipped", settings.walkName());
            return null;
        }
        Instant now = clock.instant();
        String runId = "rec-" + RUN_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        WalkState state = store.begin(settings.walkName(), runId, now);
        LOG.info("reconciliation run {} {} (trades cursor {}, watermark {})", state.runId,
                state.resumed ? "resumed" : "started", state.pageCursor, state.stopAtId);
        return state;
    }

    public void release(WalkState s) {
        if (s != null) {
            store.release(settings.walkName(), owner);
        }
    }

    // --- ledger: newest first, down to the last walk's watermark ---

    public void startLedger(WalkState s) {
        s.ledger = new LedgerIndex(clock.instant(), refs -> store.ledgerTotals(s.name, refs));
        s.ledgerCursor = null;
        s.ledgerHasMore = true;
        s.ledgerNewest = null;
    }

    /** GET /pools/ledger, the next page. */
    public PoolsRequest ledgerPageRequest(WalkState s) {
        return PoolsRequest.get("listLedger", "/pools/ledger", "currency=EUR&limit=" + settings.ledgerPageSize()
                + (s.ledgerCursor == null ? "" : "&cursor=" + encode(s.ledgerCursor))).as(CallClass.RECONCILIATION);
    }

    /** Counts the page's entries newer than the watermark; the watermark entry ends the ledger walk. */
    public void readLedgerPage(WalkState s, String body) throws Exception {
        JsonNode page = MAPPER.readTree(body);
        for (JsonNode entry : page.path("entries")) {
            String fingerprint = LedgerIndex.fingerprint(entry);
            if (fingerprint.equals(s.ledgerStopAt)) {
                s.ledgerHasMore = false;   // this entry and every older one were counted by an earlier walk
                return;
            }
            if (s.ledgerNewest == null) {
                s.ledgerNewest = fingerprint;
            }
            s.ledger.add(entry);
        }
        String next = PoolsJson.text(page, "nextCursor");
        if (next != null && next.equals(s.ledgerCursor)) {
            throw new IllegalStateException("0Pools ledger returned the same cursor twice: " + next);
        }
        s.ledgerCursor = next;
        s.ledgerHasMore = next != null;
    }

    /** The new entries are read: add them to the persisted totals and move the watermark (one transaction). */
    public void finishLedger(WalkState s) {
        store.saveLedger(s.name, s.ledger.added(), s.ledgerNewest);
    }

    // --- trades: newest first, cursor persisted per page ---

    /** GET /pools/trades, the next page from the persisted cursor. */
    public PoolsRequest tradesPageRequest(WalkState s) {
        return PoolsRequest.get("listTrades", "/pools/trades", "limit=" + settings.tradesPageSize()
                + (s.pageCursor == null ? "" : "&cursor=" + encode(s.pageCursor))).as(CallClass.RECONCILIATION);
    }

    /** Parses a trades page; the body becomes the trades to reconcile (those before the watermark). */
    public List<JsonNode> readTradesPage(WalkState s, String body) throws Exception {
        JsonNode page = MAPPER.readTree(body);
        Instant recheckFrom = s.startedAt.minus(settings.recheckWindow());
        List<JsonNode> toReconcile = new ArrayList<>();
        for (JsonNode trade : page.path("data")) {
            Instant created = TradeComparator.createdAt(trade);
            String id = PoolsJson.text(trade, "transactId");
            boolean covered = s.stopAtId != null && (s.stopAtId.equals(id)
                    || (created != null && s.stopAtCreatedAt != null && !created.isAfter(s.stopAtCreatedAt)));
            if (covered && (created == null || created.isBefore(recheckFrom))) {
                s.reachedWatermark = true; // every older trade was reconciled by an earlier walk
                break;
            }
            if (s.newestId == null) {
                s.newestId = id;
                s.newestCreatedAt = created;
            }
            if (created != null && (s.oldestCreatedAt == null || created.isBefore(s.oldestCreatedAt))) {
                s.oldestCreatedAt = created;
            }
            toReconcile.add(trade);
        }
        String next = PoolsJson.text(page, "nextCursor");
        boolean hasMore = page.path("hasMore").asBoolean(false) && next != null;
        if (hasMore && next.equals(s.pageCursor)) {
            throw new IllegalStateException("0Pools trades returned the same cursor twice: " + next);
        }
        s.pageCursor = hasMore ? next : s.pageCursor;
        s.tradesHasMore = hasMore;
        return toReconcile;
    }

    // --- returned trades: a late settled -> returned is re-reconciled from the settlement poller's returned read ---

    /** Keeps the returned trades of a page of the settlement poller's returned read for the next walks. */
    public void keepReturnedPage(String body) throws Exception {
        List<JsonNode> returned = new ArrayList<>();
        for (JsonNode trade : MAPPER.readTree(body).path("data")) {
            if ("returned".equals(PoolsJson.text(trade, "status")) && PoolsJson.text(trade, "transactId") != null) {
                returned.add(trade);
            }
        }
        store.keepReturned(returned, clock.instant());
    }

    /** The trades returned within the returned window, as the poller's read last listed them: all to reconcile. */
    public List<JsonNode> returnedTrades(WalkState s) throws Exception {
        List<JsonNode> trades = new ArrayList<>();
        for (String json : store.returnedSince(s.startedAt.minus(settings.returnedWindow()))) {
            trades.add(MAPPER.readTree(json));
        }
        return trades;
    }

    /**
     * The trades of a page: each compared with its order record and ledger totals, and its finding stored (none
     * when this run has one already). One query reads the page's orders, one its ledger totals, and one batch
     * stores its findings: a page's database work does not grow in round trips with its trades.
     */
    public void reconcileTrades(WalkState s, List<JsonNode> trades) {
        if (trades.isEmpty()) {
            return; // a walk that met its watermark at once, or nothing returned: no query
        }
        List<String> transactIds = new ArrayList<>();
        List<String> quoteIds = new ArrayList<>();
        for (JsonNode trade : trades) {
            transactIds.add(PoolsJson.text(trade, "transactId"));
            quoteIds.add(PoolsJson.text(trade, "quoteId"));
        }
        transactIds.removeIf(Objects::isNull);
        quoteIds.removeIf(Objects::isNull);
        Map<String, OurOrder> byTransactId = new HashMap<>();
        Map<String, OurOrder> byQuoteIdUntraded = new HashMap<>();
        for (OurOrder order : store.ordersOfTrades(transactIds, quoteIds)) {
            if (order.transactId() != null) {
                byTransactId.put(order.transactId(), order);
            } else {
                byQuoteIdUntraded.putIfAbsent(order.quoteId(), order);
            }
        }
        s.ledger.read(quoteIds);
        List<Finding> findings = new ArrayList<>();
        for (JsonNode trade : trades) {
            // the order that holds this trade, else the one holding its quote with no trade recorded
            OurOrder order = byTransactId.get(PoolsJson.text(trade, "transactId"));
            if (order == null) {
                order = byQuoteIdUntraded.get(PoolsJson.text(trade, "quoteId"));
            }
            findings.add(comparator.compare(trade, order, s.ledger));
        }
        store.record(s.runId, findings, clock.instant());
    }

    /** Every finding of the page is stored: only now does the cursor move. */
    public void tradesPageDone(WalkState s) {
        s.pages++;
        s.pagesThisTick++;
        store.savePage(s);
        store.lease(settings.walkName(), owner, settings.lease().toMillis());
    }

    /** The walk is complete: order-side checks, then the watermark moves and the run closes. */
    public void finishWalk(WalkState s) {
        Instant now = clock.instant();
        Set<String> seen = store.tradesSeen(s.runId);
        boolean covered = !s.reachedWatermark || s.oldestCreatedAt != null;
        Instant upper = s.newestCreatedAt != null ? s.newestCreatedAt : s.startedAt;
        Instant lower = s.reachedWatermark ? s.oldestCreatedAt : null;
        if (covered) {
            List<Finding> unlisted = new ArrayList<>();
            for (OurOrder order : store.reservedOrders()) {
                if (seen.contains(order.transactId())) {
                    continue;
                }
                Instant created = tradeCreatedAt(order);
                if (created == null || created.isAfter(upper) || (lower != null && !created.isAfter(lower))) {
                    continue; // outside the part of the list this walk covered
                }
                unlisted.add(orderFinding(Finding.Kind.order_without_trade, order,
                        "0Pools does not list trade " + order.transactId() + " of this reserved order"));
            }
            store.record(s.runId, unlisted, now);
        }
        int malformed = s.ledger == null ? 0 : s.ledger.malformed();
        store.finish(s, s.ledger == null ? 0 : s.ledger.entries(), malformed, now);
        if (malformed > 0) {
            LOG.warn("reconciliation run {}: {} ledger entries without a parsable delta were not counted", s.runId, malformed);
        }
        LOG.info("reconciliation run {} complete: {} pages, ledger {} entries ({} malformed)", s.runId, s.pages,
                s.ledger == null ? 0 : s.ledger.entries(), malformed);
    }

    // --- outbox ---

    /** The next batch of stored, unpublished findings, this run's and any earlier run's whose publish failed. */
    public List<ReconciliationStore.Outgoing> unpublished() {
        return store.unpublished(settings.publishBatch());
    }

    /** A full batch means there may be more to publish. */
    public boolean fullBatch(List<ReconciliationStore.Outgoing> batch) {
        return batch.size() >= settings.publishBatch();
    }

    /** The batch was sent: marked in one statement (a crash before it resends them, and the broker drops the copies). */
    public void markPublished(List<ReconciliationStore.Outgoing> sent) {
        store.markPublished(sent.stream().map(ReconciliationStore.Outgoing::id).toList());
    }

    private static Finding orderFinding(Finding.Kind kind, OurOrder order, String detail) {
        Finding f = new Finding();
        f.kind = kind;
        f.subject = kind.name() + ":" + order.orderId();
        f.orderId = order.orderId();
        f.transactId = order.transactId();
        f.quoteId = order.quoteId();
        f.poolId = order.poolId();
        f.side = order.side();
        f.statusOurs = order.tradeStatus();
        f.orderState = order.state();
        f.amounts.put("order", TradeComparator.plain(order.amount()));
        f.detail = detail;
        return f;
    }

    private static Instant tradeCreatedAt(OurOrder order) {
        try {
            Instant created = order.tradeJson() == null ? null : TradeComparator.createdAt(MAPPER.readTree(order.tradeJson()));
            return created != null ? created : order.reservedAt();
        } catch (Exception e) {
            return order.reservedAt();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
