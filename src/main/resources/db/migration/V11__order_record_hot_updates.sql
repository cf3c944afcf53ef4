-- Every update of an order's record sets updated_at, and (state, updated_at) was indexed, so no update could be a
-- heap-only (HOT) one: each of an order's seven updates wrote a new entry into every index of the table, and left
-- as many dead ones for vacuum. Nothing reads order_record by (state, updated_at); the due-work queries have
-- their own partial indexes (V7). Without it, the lease renewals, the cap count and the reply mark touch no
-- indexed column, and the room left in each page lets PostgreSQL keep their new versions beside the old.
DROP INDEX order_record_state_idx;
ALTER TABLE order_record SET (fillfactor = 80);
