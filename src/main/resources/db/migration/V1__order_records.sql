-- One durable record per bank order: the idempotency anchor and the audit trail of every 0Pools call.
CREATE TABLE order_record (
    order_id             VARCHAR(128)  PRIMARY KEY,          -- the bank's unique id: one trade at most per id
    payload_sha256       CHAR(64)      NOT NULL,             -- detects the same orderId reused for another order
    pool_id              VARCHAR(64)   NOT NULL,
    side                 VARCHAR(16)   NOT NULL,
    amount               NUMERIC(38, 18) NOT NULL,
    crypto_network       VARCHAR(32)   NOT NULL,
    dest_address         VARCHAR(256),
    dest_network         VARCHAR(32),
    state                VARCHAR(16)   NOT NULL,             -- RECEIVED, QUOTED, TRANSACTING, RESERVED, REJECTED, FAILED
    quote_attempt        INTEGER       NOT NULL DEFAULT 1,   -- which firm quote this is; a new one (and a new key) only after the last provably made no trade
    quote_id             VARCHAR(128),
    quote_expires_at     TIMESTAMPTZ,
    quote_json           TEXT,
    idempotency_key      VARCHAR(255),                       -- persisted before the first transact call
    transact_id          VARCHAR(128),
    trade_status         VARCHAR(16),
    trade_json           TEXT,
    reject_source        VARCHAR(16),                        -- pools | bridge
    reject_status        INTEGER,
    reject_type          VARCHAR(64),
    reject_code          VARCHAR(64),
    reject_message       VARCHAR(512),
    failure_reason       VARCHAR(512),
    capabilities_request_id VARCHAR(128),
    quote_request_id     VARCHAR(128),
    transact_request_id  VARCHAR(128),
    last_request_id      VARCHAR(128),
    deliveries           INTEGER       NOT NULL DEFAULT 0,   -- how often the order message was claimed
    pools_calls          INTEGER       NOT NULL DEFAULT 0,   -- HTTP attempts made for this order
    lease_owner          VARCHAR(128),
    lease_until          TIMESTAMPTZ,
    reply_json           TEXT,                               -- the reply, kept so it can be sent again if its first send never happened
    reply_sent_at        TIMESTAMPTZ,                        -- the reply is at the broker: later copies of the order are skipped
    received_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    quoted_at            TIMESTAMPTZ,
    reserved_at          TIMESTAMPTZ,
    completed_at         TIMESTAMPTZ,
    updated_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT order_record_state_chk CHECK (state IN ('RECEIVED','QUOTED','TRANSACTING','RESERVED','REJECTED','FAILED'))
);

CREATE UNIQUE INDEX order_record_quote_uq ON order_record (quote_id) WHERE quote_id IS NOT NULL;
CREATE UNIQUE INDEX order_record_transact_uq ON order_record (transact_id) WHERE transact_id IS NOT NULL;
CREATE INDEX order_record_state_idx ON order_record (state, updated_at);
