-- Every dead letter an operator asked to re-drive (java -jar pools-bridge.jar replay), whether it was moved back
-- to the order queue, refused (bad content, already answered) or forced; the audit trail of manual re-drives.
CREATE TABLE replay_record (
    id              BIGSERIAL     PRIMARY KEY,
    replayed_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    operator        VARCHAR(128)  NOT NULL,              -- --by NAME, else the OS user running the command
    dead_letter_queue VARCHAR(255) NOT NULL,
    jms_message_id  VARCHAR(255)  NOT NULL,
    order_id        VARCHAR(128),                        -- null when the content names none (bad content)
    dead_letter_code VARCHAR(64)  NOT NULL,
    dead_letter_reason VARCHAR(512),
    action          VARCHAR(16)   NOT NULL,
    detail          VARCHAR(512),
    CONSTRAINT replay_record_action_chk CHECK (action IN ('redriven','forced','refused','gone'))
);
CREATE INDEX replay_record_order_idx ON replay_record (order_id);
