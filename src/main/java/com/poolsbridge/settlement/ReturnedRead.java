package com.poolsbridge.settlement;

import java.time.Instant;

/**
 * One read of GET /pools/trades?status=returned over the watch window, page by page (exchange property
 * returnedRead). A settled trade has no webhook for returned (contract §6), so this read replaces one status poll
 * per watched trade per interval: its cost is one call per 100 returned trades, whatever the number watched.
 */
public final class ReturnedRead {

    private final Instant createdAfter;
    private String cursor;
    private boolean hasMore = true;

    ReturnedRead(Instant createdAfter) {
        this.createdAfter = createdAfter;
    }

    public Instant createdAfter() {
        return createdAfter;
    }

    public String cursor() {
        return cursor;
    }

    public boolean hasMore() {
        return hasMore;
    }

    /** The page was applied; {@code nextCursor} null ends the read. */
    void next(String nextCursor) {
        if (nextCursor != null && nextCursor.equals(cursor)) {
            throw new IllegalStateException("0Pools trades returned the same cursor twice: " + nextCursor);
        }
        cursor = nextCursor;
        hasMore = nextCursor != null;
    }
}
