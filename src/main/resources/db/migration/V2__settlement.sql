-- Settlement: per-trade poll scheduling on order_record, one row per terminal transition (the dedupe anchor of
-- pools.settlements) and the received webhooks (the dedupe anchor of inbound events).

-- next_poll_at NULL = not polled (never reserved, or final). recordReserved sets it; the poller reschedules it.
ALTER TABLE order_record
    ADD COLUMN next_poll_at       TIMESTAMPTZ,
    ADD COLUMN poll_count         INTEGER      NOT NULL DEFAULT 0,
    ADD COLUMN last_polled_at     TIMESTAMPTZ,
    ADD COLUMN last_poll_error    VARCHAR(512),
    ADD COLUMN watch_until        TIMESTAMPTZ,          -- settled trades are watched for a late 'returned' until then
    ADD COLUMN terminal_at        TIMESTAMPTZ,          -- first terminal status seen (settled/failed/released)
    ADD COLUMN stuck_reported_at  TIMESTAMPTZ;          -- 'stuck_reserved' sent to pools.reconciliation (once)

-- "due" selection: oldest next_poll_at first, only rows that are scheduled at all
CREATE INDEX order_record_next_poll_idx ON order_record (next_poll_at) WHERE next_poll_at IS NOT NULL;

-- One row per (trade, status reached): inserted in the same transaction as the order_record status change, so a
-- transition seen by poll and webhook at once, or again after a restart, yields one row and one message.
CREATE TABLE settlement_event (
    transact_id      VARCHAR(128) NOT NULL,
    status           VARCHAR(16)  NOT NULL,             -- settled, failed, released, returned
    order_id         VARCHAR(128) NOT NULL REFERENCES order_record (order_id),
    previous_status  VARCHAR(16)  NOT NULL,
    source           VARCHAR(16)  NOT NULL,             -- poll | webhook
    request_id       VARCHAR(128),                      -- X-Request-Id of the poll that saw it (null for webhooks)
    event_id         VARCHAR(128),                      -- webhook eventId (null for polls)
    occurred_at      TIMESTAMPTZ  NOT NULL,
    recorded_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    published_at     TIMESTAMPTZ,                       -- NULL until the JMS send succeeded (re-sent by the sweep)
    message_json     TEXT         NOT NULL,             -- the exact bytes sent (and re-sent) on pools.settlements
    PRIMARY KEY (transact_id, status),
    CONSTRAINT settlement_event_status_chk CHECK (status IN ('settled','failed','released','returned')),
    CONSTRAINT settlement_event_source_chk CHECK (source IN ('poll','webhook'))
);
CREATE INDEX settlement_event_unpublished_idx ON settlement_event (recorded_at) WHERE published_at IS NULL;
CREATE INDEX settlement_event_order_idx ON settlement_event (order_id);

-- Every verified webhook delivery, stored before the 200 reply; processed afterwards (and again by the poller
-- cycle if the process died in between). eventId = sha256("<transactId>:<type>") is the dedupe key.
CREATE TABLE webhook_event (
    event_id             VARCHAR(128) PRIMARY KEY,
    type                 VARCHAR(64)  NOT NULL,
    transact_id          VARCHAR(128),
    signature_timestamp  BIGINT       NOT NULL,        -- the t= of the signature header (unix seconds)
    received_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    raw_body             TEXT         NOT NULL,
    processed_at         TIMESTAMPTZ,
    outcome              VARCHAR(32)                   -- applied, duplicate, ignored, unknown_trade
);
CREATE INDEX webhook_event_unprocessed_idx ON webhook_event (received_at) WHERE processed_at IS NULL;
