-- Issue 8 §2: a poll cycle's database work follows the trades that are due, not every open trade; issue 9
-- defects 6 and 7: settlements first seen on a transact answer or a list read, findings published across runs.

-- Settled trades are watched for 'returned' by one list read per interval now, not by a status poll each every
-- 15 minutes: their per-interval watch polls end here (configured fallback polls are scheduled by the poller).
-- Only trades that still need a poll keep next_poll_at, so order_record_next_poll_idx holds the due work.
UPDATE order_record SET next_poll_at = NULL WHERE next_poll_at IS NOT NULL AND trade_status <> 'reserved';

-- stuck detection reads the trades reserved before the threshold and not yet reported, nothing else
CREATE INDEX order_record_stuck_idx ON order_record (reserved_at)
    WHERE state = 'RESERVED' AND trade_status = 'reserved' AND stuck_reported_at IS NULL;

-- trades the order route recorded already terminal whose settlement is still owed (terminal_at is set by the
-- first settlement written for the trade)
CREATE INDEX order_record_recorded_terminal_idx ON order_record (reserved_at)
    WHERE state = 'RESERVED' AND terminal_at IS NULL AND transact_id IS NOT NULL
      AND trade_status IN ('settled','failed','released','returned');

-- the returned read's window: the oldest settled trade still watched
CREATE INDEX order_record_watched_idx ON order_record (watch_until) WHERE trade_status = 'settled';

-- a settlement is first seen by a status poll, a webhook, the transact answer itself, or the returned read
ALTER TABLE settlement_event DROP CONSTRAINT settlement_event_source_chk;
ALTER TABLE settlement_event ADD CONSTRAINT settlement_event_source_chk
    CHECK (source IN ('poll','webhook','transact','read'));

-- Issue 8 §2: the ledger walk is incremental. It reads GET /pools/ledger (newest first) only down to the newest
-- entry the last walk counted (ledger_stop_at, a fingerprint: the contract gives entries no id), adds the new
-- entries to the totals per ref below and moves the watermark, in one transaction.
ALTER TABLE reconciliation_cursor ADD COLUMN ledger_stop_at VARCHAR(128);
CREATE TABLE reconciliation_ledger (
    walk_name   VARCHAR(64)     NOT NULL,
    ref         VARCHAR(128)    NOT NULL,              -- the quoteId of a buy (contract §8.4)
    debits      INTEGER         NOT NULL DEFAULT 0,
    debit       NUMERIC         NOT NULL DEFAULT 0,     -- sum of buy_debit deltas (negative), exact scale
    refunds     INTEGER         NOT NULL DEFAULT 0,
    refund      NUMERIC         NOT NULL DEFAULT 0,     -- sum of buy_refund deltas, exact scale
    updated_at  TIMESTAMPTZ     NOT NULL DEFAULT now(),
    PRIMARY KEY (walk_name, ref)
);

-- A trade re-checked by a later walk (recheck window) and matched exactly as before is stored for the run's
-- counts but not sent again: same_as_run names the run whose finding said the same.
ALTER TABLE reconciliation_finding ADD COLUMN same_as_run VARCHAR(64);
CREATE INDEX reconciliation_finding_subject_idx ON reconciliation_finding (subject, id);

-- the reconciliation outbox is drained across runs (a walk whose last publish failed is sent by the next one)
CREATE INDEX reconciliation_finding_unpublished_idx ON reconciliation_finding (id)
    WHERE published_at IS NULL AND same_as_run IS NULL;
