package com.poolsbridge.reconciliation;

import java.time.Instant;

/**
 * The walk in progress, as loaded from (and saved to) its reconciliation_cursor row, plus what this tick
 * has done. Carried by the exchange as property {@value ReconciliationWalk#STATE}.
 */
public final class WalkState {

    final String name;
    final String runId;
    final Instant startedAt;
    final boolean resumed;

    // trades walk (persisted after each page)
    String pageCursor;
    int pages;
    String newestId;
    Instant newestCreatedAt;
    Instant oldestCreatedAt;
    // watermark of the last complete walk
    final String stopAtId;
    final Instant stopAtCreatedAt;
    // ledger watermark: fingerprint of the newest entry already counted (LedgerIndex.fingerprint)
    final String ledgerStopAt;

    // this tick
    boolean tradesHasMore = true;
    boolean reachedWatermark;
    int pagesThisTick;
    LedgerIndex ledger;
    String ledgerCursor;
    boolean ledgerHasMore = true;
    String ledgerNewest;

    WalkState(String name, String runId, Instant startedAt, boolean resumed, String pageCursor, int pages,
              String newestId, Instant newestCreatedAt, Instant oldestCreatedAt, String stopAtId, Instant stopAtCreatedAt,
              String ledgerStopAt) {
        this.name = name;
        this.runId = runId;
        this.startedAt = startedAt;
        this.resumed = resumed;
        this.pageCursor = pageCursor;
        this.pages = pages;
        this.newestId = newestId;
        this.newestCreatedAt = newestCreatedAt;
        this.oldestCreatedAt = oldestCreatedAt;
        this.stopAtId = stopAtId;
        this.stopAtCreatedAt = stopAtCreatedAt;
        this.ledgerStopAt = ledgerStopAt;
    }

    public String runId() {
        return runId;
    }

    public boolean ledgerHasMore() {
        return ledgerHasMore;
    }

    public boolean tradesHasMore() {
        return tradesHasMore && !reachedWatermark;
    }

    /** The trades walk reached the end of the list or the previous walk's watermark. */
    public boolean walkComplete() {
        return !tradesHasMore || reachedWatermark;
    }

    public int pagesThisTick() {
        return pagesThisTick;
    }
}
