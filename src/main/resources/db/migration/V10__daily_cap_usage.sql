-- The rolling 24 h cap per side (MoneyGuardrails.admit) summed every order counted in the last 24 h, under the
-- side's lock, on each admission: its work and the time every other order of the side waited grew with the
-- day's volume (18 ms at 1,500 orders). Per-minute sums make it at most 1,441 rows whatever the volume.
CREATE TABLE daily_cap_usage (
    side    VARCHAR(16)     NOT NULL,
    minute  TIMESTAMPTZ     NOT NULL,   -- date_trunc('minute', cap_counted_at) of the orders it sums
    amount  NUMERIC(38, 18) NOT NULL,   -- counted in that minute, less those rejected since
    PRIMARY KEY (side, minute)
);

INSERT INTO daily_cap_usage (side, minute, amount)
SELECT side, date_trunc('minute', cap_counted_at), SUM(amount) FROM order_record
WHERE cap_counted_at > now() - interval '25 hours' AND state NOT IN ('REJECTED', 'INVALID')
GROUP BY side, date_trunc('minute', cap_counted_at);

-- nothing reads order_record by cap_counted_at any more
DROP INDEX order_record_cap_idx;
