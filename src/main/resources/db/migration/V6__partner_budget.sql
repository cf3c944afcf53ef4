-- The partner's request budget (issue 8 §1): 0Pools throttles per client IP, so every replica behind the bank's
-- egress IP spends from one budget. It lives here, in the database all replicas share.
--
-- Model: a sliding-window log. A permit is one row; a call may be sent when, for every tier (limit per window),
-- fewer than `limit` permits were sent in the last `window` (+ a safety margin for latency and clock skew).
-- "At most N in any interval of length W" also holds for the server's own windows, wherever they start, which a
-- token bucket (up to 2N across a window boundary) would not guarantee. Rows live one long window, so the table
-- holds at most the long tier's limit (300) per budget.
--
-- Concurrency: one short transaction per permit. It locks the budget's tier rows (SELECT ... FOR UPDATE), so
-- grants of one budget are serialised across all replicas; under READ COMMITTED the count that follows sees
-- every permit committed by the previous lock holder. Then it inserts the permit and commits.

-- one row per (budget, tier): the lock, and the server's view of that tier
CREATE TABLE partner_budget_tier (
    budget            VARCHAR(64)  NOT NULL,  -- pools.budget.name: one per egress IP
    tier              VARCHAR(32)  NOT NULL,  -- short | medium | long (the server's header suffixes)
    paused_until      TIMESTAMPTZ,            -- a 429's Retry-After-<tier> plus jitter: nobody sends before
    server_remaining  INTEGER,                -- X-RateLimit-Remaining-<tier> of the newest answer ...
    server_seen_at    TIMESTAMPTZ,            -- ... to the call sent at this time ...
    server_reset_at   TIMESTAMPTZ,            -- ... valid until now + X-RateLimit-Reset-<tier>
    PRIMARY KEY (budget, tier)
);

-- one row per permit; a quote's row comes with a held row for its transact (sent_at NULL until used)
CREATE TABLE partner_budget_permit (
    id          BIGSERIAL    PRIMARY KEY,
    budget      VARCHAR(64)  NOT NULL,
    call_class  VARCHAR(32)  NOT NULL,
    sent_at     TIMESTAMPTZ,                  -- when the call was allowed out; NULL while only held
    held_until  TIMESTAMPTZ                   -- a held permit counts until it is used or this passes
);
CREATE INDEX partner_budget_permit_sent ON partner_budget_permit (budget, sent_at);
