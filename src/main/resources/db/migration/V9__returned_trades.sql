-- Issue 8 §2: one status=returned read per interval, not two. The settlement poller's returned read keeps every
-- returned trade it lists here, as 0Pools listed it; the reconciliation walk re-reconciles these rows instead of
-- reading GET /pools/trades?status=returned itself. Rows older than the walk's returned window are pruned by it.
CREATE TABLE returned_trade (
    transact_id  VARCHAR(128)  PRIMARY KEY,
    created_at   TIMESTAMPTZ   NOT NULL,   -- the trade's createdAt (the read time when the partner gave none)
    trade_json   TEXT          NOT NULL,   -- the trade as the read listed it
    read_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX returned_trade_created_idx ON returned_trade (created_at);
