-- Reconciliation (issue 3, part 4): 0Pools trades and ledger against order_record.
--
-- reconciliation_cursor: one row per walk name (production: 'trades'). It holds the walk in progress
--   (run_id, page_cursor = the nextCursor of the last page fully processed, the newest and oldest trade seen
--   so far) and the watermark of the last complete walk (stop_at_*). The row is updated only after every
--   finding of a page is stored, so a restart re-reads at most that one page; findings are deduplicated
--   by (run_id, subject), so the re-read page reports nothing twice. lease_* keeps two replicas from
--   walking at once.
CREATE TABLE reconciliation_cursor (
    name                    VARCHAR(64)   PRIMARY KEY,
    run_id                  VARCHAR(64),                 -- walk in progress; NULL when none
    page_cursor             VARCHAR(128),                -- next trades cursor of the walk in progress (NULL = first page)
    pages                   INTEGER       NOT NULL DEFAULT 0,
    walk_newest_id          VARCHAR(128),                -- newest trade reconciled by the walk in progress
    walk_newest_created_at  TIMESTAMPTZ,
    walk_oldest_created_at  TIMESTAMPTZ,                 -- oldest trade reconciled so far (lower bound of coverage)
    stop_at_id              VARCHAR(128),                -- watermark: newest trade of the last complete walk
    stop_at_created_at      TIMESTAMPTZ,
    lease_owner             VARCHAR(128),
    lease_until             TIMESTAMPTZ,
    updated_at              TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- One row per walk (a resumed walk keeps its run_id); counts are filled in when the walk completes.
CREATE TABLE reconciliation_run (
    run_id          VARCHAR(64)   PRIMARY KEY,
    walk_name       VARCHAR(64)   NOT NULL,
    started_at      TIMESTAMPTZ   NOT NULL,
    finished_at     TIMESTAMPTZ,
    resumed         INTEGER       NOT NULL DEFAULT 0,    -- how often the walk was resumed after an interruption
    pages           INTEGER       NOT NULL DEFAULT 0,
    trades_seen     INTEGER       NOT NULL DEFAULT 0,
    ledger_entries  INTEGER       NOT NULL DEFAULT 0,
    findings        INTEGER       NOT NULL DEFAULT 0,
    counts_json     TEXT                                 -- findings per kind
);

-- Every finding of every run; also the outbox of pools.reconciliation (published_at NULL = not yet sent).
-- subject: 'trade:<transactId>' (one finding per listed trade and run: matched, mismatched, trade_unknown,
-- terminal_without_ledger) or '<kind>:<orderId>' (order_without_trade, stuck_reserved).
CREATE TABLE reconciliation_finding (
    id              BIGSERIAL     PRIMARY KEY,
    run_id          VARCHAR(64)   NOT NULL REFERENCES reconciliation_run (run_id),
    subject         VARCHAR(200)  NOT NULL,
    kind            VARCHAR(32)   NOT NULL,
    order_id        VARCHAR(128),
    transact_id     VARCHAR(128),
    quote_id        VARCHAR(128),
    pool_id         VARCHAR(64),
    status_ours     VARCHAR(16),
    status_theirs   VARCHAR(16),
    differences     TEXT,                                -- human-readable summary of what differs
    message_json    TEXT          NOT NULL,              -- the message as published (schemas/reconciliation.schema.json)
    found_at        TIMESTAMPTZ   NOT NULL,
    published_at    TIMESTAMPTZ,
    CONSTRAINT reconciliation_finding_kind_chk CHECK (kind IN ('matched','mismatched','trade_unknown',
        'order_without_trade','terminal_without_ledger','stuck_reserved')),
    CONSTRAINT reconciliation_finding_subject_uq UNIQUE (run_id, subject)
);

CREATE INDEX reconciliation_finding_outbox_idx ON reconciliation_finding (run_id) WHERE published_at IS NULL;
CREATE INDEX reconciliation_finding_day_idx ON reconciliation_finding (found_at);
