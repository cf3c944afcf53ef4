-- Reliability of the order path (issue 9).

-- after deadline_at no new quote is asked for: the order is rejected order_expired, no money moved
ALTER TABLE order_record ADD COLUMN deadline_at TIMESTAMPTZ;
-- transact calls made for the held quote, counted before each goes out: once one went out its outcome may be a
-- trade, so a failed lookup (or a 401/403 on a retried transact) is never taken for a rejection
ALTER TABLE order_record ADD COLUMN transact_calls INTEGER NOT NULL DEFAULT 0;

-- an order message with a readable orderId but bad content is recorded too (state INVALID), so its orderId
-- gets exactly one reply and can never later move money under other terms
ALTER TABLE order_record ALTER COLUMN pool_id DROP NOT NULL;
ALTER TABLE order_record ALTER COLUMN side DROP NOT NULL;
ALTER TABLE order_record ALTER COLUMN amount DROP NOT NULL;
ALTER TABLE order_record ALTER COLUMN crypto_network DROP NOT NULL;
ALTER TABLE order_record DROP CONSTRAINT order_record_state_chk;
ALTER TABLE order_record ADD CONSTRAINT order_record_state_chk
    CHECK (state IN ('RECEIVED','QUOTED','TRANSACTING','RESERVED','REJECTED','FAILED','INVALID'));

-- every firm quote an order held before a new attempt replaced it: the audit trail keeps old quote ids and keys
CREATE TABLE order_quote_history (
    quote_id          VARCHAR(128) PRIMARY KEY,
    order_id          VARCHAR(128) NOT NULL REFERENCES order_record (order_id),
    quote_attempt     INTEGER      NOT NULL,
    idempotency_key   VARCHAR(255),
    quote_expires_at  TIMESTAMPTZ,
    transact_calls    INTEGER      NOT NULL,
    retired_as        VARCHAR(16)  NOT NULL,   -- how it was proven unusable: expired (never transacted), rejected, ...
    retired_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX order_quote_history_order_idx ON order_quote_history (order_id);

-- local money guardrails: when the order was counted against the rolling 24 h notional cap of its side
ALTER TABLE order_record ADD COLUMN cap_counted_at TIMESTAMPTZ;
CREATE INDEX order_record_cap_idx ON order_record (side, cap_counted_at) WHERE cap_counted_at IS NOT NULL;
